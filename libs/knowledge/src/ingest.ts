import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { KnowledgeRepository, UpsertOutcome } from '@parley/db';

import { formatOf, parseDocument } from './chunker';

export interface IngestOptions {
  assistantId: string;
  /** Postgres text search configuration of the documents (english by default). */
  language?: string;
  /** Remove documents previously ingested from this folder that are gone now. */
  prune?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface IngestReport {
  files: number;
  chunks: number;
  outcomes: Record<UpsertOutcome, number>;
  removed: number;
}

/** Ingests every Markdown, HTML and text file under `dir`; re-ingest replaces changed ones. */
export async function ingestDirectory(
  repository: KnowledgeRepository,
  dir: string,
  options: IngestOptions,
): Promise<IngestReport> {
  const files = await listDocuments(dir);
  if (files.length === 0) {
    throw new Error(`no .md, .html or .txt files found in ${dir}`);
  }
  const report: IngestReport = {
    files: files.length,
    chunks: 0,
    outcomes: { created: 0, updated: 0, unchanged: 0 },
    removed: 0,
  };
  for (const [index, file] of files.entries()) {
    const source = path.relative(dir, file).split(path.sep).join('/');
    const raw = await readFile(file, 'utf8');
    const format = formatOf(file)!;
    const parsed = parseDocument(raw, format, path.basename(file).replace(/\.[^.]+$/, ''));
    const outcome = await repository.upsertDocument({
      assistantId: options.assistantId,
      source,
      title: parsed.title,
      format,
      language: options.language ?? 'english',
      contentHash: createHash('sha256').update(raw).digest('hex'),
      chunks: parsed.chunks,
    });
    report.outcomes[outcome] += 1;
    report.chunks += parsed.chunks.length;
    options.onProgress?.(index + 1, files.length, source);
  }
  if (options.prune) {
    report.removed = await repository.removeDocumentsExcept(
      options.assistantId,
      files.map((file) => path.relative(dir, file).split(path.sep).join('/')),
    );
  }
  return report;
}

async function listDocuments(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && formatOf(entry.name) !== null)
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
