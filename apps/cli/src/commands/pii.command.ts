import path from 'node:path';

import type { CountryCode } from 'libphonenumber-js';

import { PATHS } from '@parley/config';
import { DEFAULT_PHONE_REGIONS, evaluatePii, generateVaultKeys } from '@parley/guard';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `parley pii eval`: precision and recall of PII detection per type on Presidio's cases. */
export function evalPii(opts: { file?: string; json: boolean; phoneRegions?: string }): void {
  const file = opts.file ?? path.join(PATHS.datasets, 'pii/presidio_cases.jsonl');
  const phoneRegions = opts.phoneRegions
    ? (opts.phoneRegions.split(',').map((r) => r.trim().toUpperCase()) as CountryCode[])
    : DEFAULT_PHONE_REGIONS;
  const result = evaluatePii(file, { phoneRegions });
  if (opts.json) {
    console.log(JSON.stringify({ file, phoneRegions, ...result }));
    return;
  }
  console.log(`PII detection on ${path.relative(process.cwd(), file) || file}`);
  console.log(`phone regions: ${phoneRegions.join(', ')}\n`);
  console.log('type   cases  TP   FP   FN   precision  recall  F1     exact spans');
  for (const s of result.scores) {
    console.log(
      [
        s.type.padEnd(6),
        String(s.cases).padStart(5),
        String(s.truePositives).padStart(4),
        String(s.falsePositives).padStart(4),
        String(s.falseNegatives).padStart(4),
        pct(s.precision).padStart(10),
        pct(s.recall).padStart(7),
        pct(s.f1).padStart(6),
        String(s.exactSpans).padStart(7),
      ].join(' '),
    );
  }
  console.log(`\n${result.skipped} cases skipped (URL, and phone cases for other leniencies)`);
  if (result.failures.length > 0) {
    console.log(`\nmisses and false alarms (${result.failures.length}):`);
    for (const f of result.failures) {
      console.log(
        `  ${f.type} expected ${f.expected}, found [${f.detected.join(' | ')}]: ${f.text}`,
      );
    }
  }
}

/** `parley pii keygen`: a vault key pair as environment lines. */
export function keygen(): void {
  const keys = generateVaultKeys();
  console.log('# Public key: every channel app (seals originals). Private key: only tool workers.');
  console.log(`PARLEY_VAULT_PUBLIC_KEY=${keys.publicKey}`);
  console.log(`PARLEY_VAULT_PRIVATE_KEY=${keys.privateKey}`);
}
