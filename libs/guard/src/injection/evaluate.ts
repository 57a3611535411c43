import { detectInjection } from './detect-injection';
import type { InjectionResult } from './types';

export interface InjectionEvaluationSets {
  /** Known attacks: detection rate. */
  attacks: readonly string[];
  /** Benign prompts, many about prompts and instructions: false-positive rate. */
  benign: readonly string[];
  /** Ordinary customer utterances (CLINC150 test): false-positive rate. */
  customer: readonly string[];
}

export interface FlagRate {
  total: number;
  flagged: number;
  /** flagged / total, 0 for an empty set. */
  rate: number;
}

export interface InjectionEvaluation {
  attacks: FlagRate;
  benign: FlagRate;
  customer: FlagRate;
  /** Per message, over every message of the three sets after one warm-up pass. */
  latencyMs: { p50: number; p99: number; max: number };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs the detector over labelled sets and reports detection, false positives and latency. */
export function evaluateInjection(
  sets: InjectionEvaluationSets,
  detect: (text: string) => InjectionResult = detectInjection,
): InjectionEvaluation {
  const all = [...sets.attacks, ...sets.benign, ...sets.customer];
  for (const text of all) detect(text); // warm-up, so the JIT is not what gets measured

  const timings: number[] = [];
  const rate = (texts: readonly string[]): FlagRate => {
    let flagged = 0;
    for (const text of texts) {
      const started = performance.now();
      if (detect(text).detected) flagged += 1;
      timings.push(performance.now() - started);
    }
    return { total: texts.length, flagged, rate: texts.length ? flagged / texts.length : 0 };
  };
  const attacks = rate(sets.attacks);
  const benign = rate(sets.benign);
  const customer = rate(sets.customer);

  timings.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    attacks,
    benign,
    customer,
    latencyMs: {
      p50: round(percentile(timings, 50)),
      p99: round(percentile(timings, 99)),
      max: round(timings.at(-1) ?? 0),
    },
  };
}

/** The report as aligned lines for a terminal. */
export function formatInjectionEvaluation(report: InjectionEvaluation): string {
  const line = (label: string, { flagged, total, rate }: FlagRate): string =>
    `${label.padEnd(34)}${`${flagged}/${total}`.padStart(10)}  ${(rate * 100).toFixed(1).padStart(5)}%`;
  const { p50, p99, max } = report.latencyMs;
  return [
    line('attacks detected', report.attacks),
    line('benign prompts flagged (FP)', report.benign),
    line('customer utterances flagged (FP)', report.customer),
    `${'latency per message'.padEnd(34)}p50 ${p50} ms, p99 ${p99} ms, max ${max} ms`,
  ].join('\n');
}
