import { readFileSync } from 'node:fs';

import type { Example } from './classifier';
import { NluError, NluErrorCode } from './errors';

/** Parses `{"text", "intent"}` JSON Lines; blank lines are skipped, anything else must be valid. */
export function parseExamples(content: string, file = '<input>'): Example[] {
  const examples: Example[] = [];
  content.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new NluError(NluErrorCode.InvalidExample, 'not valid JSON', file, i + 1);
    }
    const { text, intent } = (row ?? {}) as Record<string, unknown>;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new NluError(
        NluErrorCode.InvalidExample,
        '"text" must be a non-empty string',
        file,
        i + 1,
      );
    }
    if (typeof intent !== 'string' || intent.trim() === '') {
      throw new NluError(
        NluErrorCode.InvalidExample,
        '"intent" must be a non-empty string',
        file,
        i + 1,
      );
    }
    examples.push({ text, intent });
  });
  return examples;
}

/** Reads a JSONL examples file; errors name the file and, for bad rows, the 1-based line. */
export function readExamples(file: string): Example[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new NluError(NluErrorCode.FileUnreadable, reason, file);
  }
  return parseExamples(content, file);
}
