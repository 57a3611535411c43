import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { KnowledgeRepository, UpsertOutcome } from '@parley/db';

import { formatOf, parseDocument, type DocumentFormat } from './chunker';
import { detectTextSearchConfig } from './language';

/** Used when a document's language can be neither detected nor was given. */
export const DEFAULT_TEXT_SEARCH_CONFIG = 'english';

export interface DocumentUpload {
  assistantId: string;
  /** The document's identity: ingesting the same source again replaces its chunks. */
  source: string;
  format: DocumentFormat;
  content: string;
  /** Postgres text search configuration; detected from the text when absent (english if unsure). */
  language?: string;
  /** Used when the document has no H1 of its own; defaults to the source's base name. */
  title?: string;
}

/** Ingests one document; unchanged content is a no-op. */
export async function ingestDocument(
  repository: KnowledgeRepository,
  upload: DocumentUpload,
): Promise<{ outcome: UpsertOutcome; title: string; chunks: number; language: string }> {
  const language =
    upload.language ?? detectTextSearchConfig(upload.content) ?? DEFAULT_TEXT_SEARCH_CONFIG;
  const fallbackTitle = upload.title ?? path.posix.basename(upload.source).replace(/\.[^.]+$/, '');
  const parsed = parseDocument(upload.content, upload.format, fallbackTitle);
  const outcome = await repository.upsertDocument({
    assistantId: upload.assistantId,
    source: upload.source,
    title: parsed.title,
    format: upload.format,
    language,
    contentHash: createHash('sha256').update(`${language}\u0000${upload.content}`).digest('hex'),
    chunks: parsed.chunks,
  });
  return { outcome, title: parsed.title, chunks: parsed.chunks.length, language };
}

export interface IngestOptions {
  assistantId: string;
  /** Postgres text search configuration of every document; each one's own when absent. */
  language?: string;
  /** Remove documents previously ingested from this folder that are gone now. */
  prune?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface IngestReport {
  files: number;
  chunks: number;
  outcomes: Record<UpsertOutcome, number>;
  /** Documents per text search configuration. */
  languages: Record<string, number>;
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
    languages: {},
    removed: 0,
  };
  for (const [index, file] of files.entries()) {
    const source = path.relative(dir, file).split(path.sep).join('/');
    const { outcome, chunks, language } = await ingestDocument(repository, {
      assistantId: options.assistantId,
      source,
      format: formatOf(file)!,
      content: await readFile(file, 'utf8'),
      title: path.basename(file).replace(/\.[^.]+$/, ''),
      ...(options.language ? { language: options.language } : {}),
    });
    report.outcomes[outcome] += 1;
    report.languages[language] = (report.languages[language] ?? 0) + 1;
    report.chunks += chunks;
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
