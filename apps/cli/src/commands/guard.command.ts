import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';
import { evaluateInjection, formatInjectionEvaluation } from '@parley/guard';

export interface EvalInjectionOptions {
  attacks?: string;
  benign?: string;
  customer?: string;
  json: boolean;
}

/** The `text` of every line of a JSONL file. */
function readTexts(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const { text } = JSON.parse(line) as { text?: unknown };
      if (typeof text !== 'string') throw new Error(`${file}:${index + 1}: no "text" string`);
      return text;
    });
}

/** `parley guard eval-injection`: detection and false-positive rates, and latency, per message. */
export function evalInjection(opts: EvalInjectionOptions): void {
  const files = {
    attacks: opts.attacks ?? path.join(PATHS.datasets, 'injection/attacks.jsonl'),
    benign: opts.benign ?? path.join(PATHS.datasets, 'injection/benign.jsonl'),
    customer: opts.customer ?? path.join(PATHS.datasets, 'clinc150/test.jsonl'),
  };
  const report = evaluateInjection({
    attacks: readTexts(files.attacks),
    benign: readTexts(files.benign),
    customer: readTexts(files.customer),
  });
  if (opts.json) {
    console.log(JSON.stringify({ files, ...report }));
    return;
  }
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  console.log(`Prompt-injection detection`);
  console.log(`attacks: ${shown(files.attacks)}`);
  console.log(`benign:  ${shown(files.benign)}`);
  console.log(`customer utterances: ${shown(files.customer)}\n`);
  console.log(formatInjectionEvaluation(report));
}
