import { SingleBar, Presets } from 'cli-progress';

import { AssistantRepository, Database, KnowledgeRepository } from '@parley/db';
import { ingestDirectory } from '@parley/knowledge';

import type { CliConfig } from '../config';

export interface IngestCommandOptions {
  assistant: string;
  language?: string;
  prune: boolean;
  progress: boolean;
}

export async function ingest(
  config: CliConfig,
  dir: string,
  options: IngestCommandOptions,
): Promise<void> {
  const db = new Database({ url: config.DATABASE_URL, poolSize: 2 });
  const bar = options.progress
    ? new SingleBar(
        { format: 'ingesting [{bar}] {value}/{total} {file}', hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  try {
    await new AssistantRepository(db).ensure(options.assistant, options.assistant);
    let started = false;
    const report = await ingestDirectory(new KnowledgeRepository(db), dir, {
      assistantId: options.assistant,
      ...(options.language ? { language: options.language } : {}),
      prune: options.prune,
      onProgress: (done, total, file) => {
        if (!bar) return;
        if (!started) bar.start(total, 0, { file });
        started = true;
        bar.update(done, { file });
      },
    });
    bar?.stop();
    const { created, updated, unchanged } = report.outcomes;
    const languages = Object.entries(report.languages)
      .map(([language, count]) => `${count} ${language}`)
      .join(', ');
    console.log(
      `${report.files} documents (${languages}), ${report.chunks} chunks: ${created} new, ` +
        `${updated} updated, ${unchanged} unchanged` +
        `${options.prune ? `, ${report.removed} removed` : ''}.`,
    );
  } finally {
    bar?.stop();
    await db.close();
  }
}
