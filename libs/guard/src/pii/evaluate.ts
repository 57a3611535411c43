import { readFileSync } from 'node:fs';

import type { CountryCode } from 'libphonenumber-js';

import { detectPii } from './detect';
import { PiiType } from './recognizers';

/** One line of Presidio's recognizer test cases (datasets/pii/presidio_cases.jsonl). */
interface PresidioCase {
  text: string;
  type: string;
  expected: boolean;
  expected_count?: number;
  expected_spans?: [number, number][];
  /** Phone cases repeated per libphonenumber leniency; 1 (VALID) is what Parley uses. */
  leniency?: number;
}

const PRESIDIO_TYPES: Record<string, PiiType> = {
  CREDIT_CARD: PiiType.CreditCard,
  US_SSN: PiiType.UsSsn,
  EMAIL_ADDRESS: PiiType.Email,
  PHONE_NUMBER: PiiType.Phone,
  IBAN_CODE: PiiType.Iban,
  IP_ADDRESS: PiiType.IpAddress,
};

export interface TypeScore {
  type: PiiType;
  cases: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Detected spans whose boundaries equal the expected ones exactly. */
  exactSpans: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface PiiEvaluation {
  scores: TypeScore[];
  /** Case types Parley does not mask (URLs), and phone cases for other leniency settings. */
  skipped: number;
  failures: { type: PiiType; text: string; expected: number; detected: string[] }[];
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

/**
 * Scores detection per type. A detected span counts when it overlaps an expected span; cases
 * that give only a count are scored by count. Each case runs that type's recognizer alone, as
 * Presidio's tests do.
 */
export function evaluatePii(
  file: string,
  options: { phoneRegions?: readonly CountryCode[] } = {},
): PiiEvaluation {
  const cases = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as PresidioCase;
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
    });
  const tallies = new Map<PiiType, Omit<TypeScore, 'precision' | 'recall' | 'f1'>>();
  const failures: PiiEvaluation['failures'] = [];
  let skipped = 0;
  for (const c of cases) {
    const type = PRESIDIO_TYPES[c.type];
    if (!type || (c.leniency !== undefined && c.leniency !== 1)) {
      skipped += 1;
      continue;
    }
    const tally = tallies.get(type) ?? {
      type,
      cases: 0,
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 0,
      exactSpans: 0,
    };
    tallies.set(type, tally);
    tally.cases += 1;
    const detected = detectPii(c.text, { types: [type], ...options });
    const expectedCount = c.expected ? (c.expected_spans?.length ?? c.expected_count ?? 1) : 0;
    let tp = 0;
    if (c.expected_spans) {
      const unused = [...detected];
      for (const [start, end] of c.expected_spans) {
        const i = unused.findIndex((d) => d.start < end && start < d.end);
        if (i < 0) continue;
        tp += 1;
        if (unused[i]?.start === start && unused[i]?.end === end) tally.exactSpans += 1;
        unused.splice(i, 1);
      }
    } else {
      tp = Math.min(expectedCount, detected.length);
    }
    const fp = detected.length - tp;
    const fn = expectedCount - tp;
    tally.truePositives += tp;
    tally.falsePositives += fp;
    tally.falseNegatives += fn;
    if (fp > 0 || fn > 0) {
      failures.push({
        type,
        text: c.text,
        expected: expectedCount,
        detected: detected.map((d) => d.value),
      });
    }
  }
  const scores = [...tallies.values()].map((t) => {
    const precision = ratio(t.truePositives, t.truePositives + t.falsePositives);
    const recall = ratio(t.truePositives, t.truePositives + t.falseNegatives);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { ...t, precision, recall, f1 };
  });
  return { scores, skipped, failures };
}
