import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NluError, NluErrorCode } from './errors';
import { parseExamples, readExamples } from './jsonl';

describe(readExamples.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlu-jsonl-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads text and intent from each line, skipping blank lines', () => {
    const path = file(
      'ok.jsonl',
      '{"text": "hi there", "intent": "greet", "extra": 1}\n\n{"text":"bye","intent":"oos"}\n',
    );
    expect(readExamples(path)).toEqual([
      { text: 'hi there', intent: 'greet' },
      { text: 'bye', intent: 'oos' },
    ]);
  });

  it('names the file and line of a row that is not JSON', () => {
    const path = file('broken.jsonl', '{"text":"a","intent":"x"}\n{"text": "b", "intent":\n');
    expect(() => readExamples(path)).toThrow(`${path}:2: not valid JSON`);
  });

  it('names the file and line of a row without an intent', () => {
    const path = file('no-intent.jsonl', '{"text":"a","intent":"x"}\n\n{"text":"b"}\n');
    expect(() => readExamples(path)).toThrow(`${path}:3: "intent" must be a non-empty string`);
  });

  it('rejects rows with an empty or non-string text', () => {
    expect(() => parseExamples('{"text":"","intent":"x"}', 'f.jsonl')).toThrow('f.jsonl:1:');
    expect(() => parseExamples('{"text":5,"intent":"x"}', 'f.jsonl')).toThrow('"text"');
    expect(() => parseExamples('[1,2]', 'f.jsonl')).toThrow('f.jsonl:1:');
    expect(() => parseExamples('null', 'f.jsonl')).toThrow('f.jsonl:1:');
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.jsonl');
    expect(() => readExamples(path)).toThrow(`${path}: no such file`);
    expect(() => readExamples(path)).toThrow(NluError);
    try {
      readExamples(path);
    } catch (error) {
      expect(error).toMatchObject({ code: NluErrorCode.FileUnreadable, file: path });
    }
  });
});
