import { performance } from 'node:perf_hooks';

import { type Example, type IntentClassifier, OUT_OF_SCOPE } from './classifier';

/** What the classifier said about one labelled utterance. */
export interface Prediction {
  expected: string;
  predicted: string;
}

/** Rates are fractions in 0..1. */
export interface Metrics {
  /** In-scope rows predicted exactly right; predicting `oos` for them counts as wrong. */
  intentAccuracy: number;
  /** Out-of-scope rows predicted `oos`. */
  oosRecall: number;
  /** `oos` predictions that were out of scope (1 when nothing was predicted `oos`). */
  oosPrecision: number;
  /** Unweighted mean F1 over every label expected or predicted, `oos` included. */
  macroF1: number;
}

export interface Evaluation extends Metrics {
  /** 99th percentile of the time to classify one utterance. */
  p99Ms: number;
}

const ratio = (part: number, whole: number, empty: number) => (whole === 0 ? empty : part / whole);

export function scorePredictions(predictions: readonly Prediction[]): Metrics {
  const truePositive = new Map<string, number>();
  const expectedCount = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let inScope = 0;
  let inScopeHits = 0;
  for (const { expected, predicted } of predictions) {
    bump(expectedCount, expected);
    bump(predictedCount, predicted);
    if (expected === predicted) bump(truePositive, expected);
    if (expected !== OUT_OF_SCOPE) {
      inScope++;
      if (expected === predicted) inScopeHits++;
    }
  }
  const labels = new Set([...expectedCount.keys(), ...predictedCount.keys()]);
  let f1Sum = 0;
  for (const label of labels) {
    const tp = truePositive.get(label) ?? 0;
    const denominator = (expectedCount.get(label) ?? 0) + (predictedCount.get(label) ?? 0);
    f1Sum += ratio(2 * tp, denominator, 0);
  }
  const oosHits = truePositive.get(OUT_OF_SCOPE) ?? 0;
  return {
    intentAccuracy: ratio(inScopeHits, inScope, 0),
    oosRecall: ratio(oosHits, expectedCount.get(OUT_OF_SCOPE) ?? 0, 0),
    oosPrecision: ratio(oosHits, predictedCount.get(OUT_OF_SCOPE) ?? 0, 1),
    macroF1: ratio(f1Sum, labels.size, 0),
  };
}

/** Nearest-rank percentile (`p` in 0..100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Classifies each test utterance on its own, timing each call, and scores the predictions. */
export function evaluate(classifier: IntentClassifier, tests: readonly Example[]): Evaluation {
  const millis: number[] = [];
  const predictions = tests.map(({ text, intent }) => {
    const started = performance.now();
    const { intent: predicted } = classifier.classify(text);
    millis.push(performance.now() - started);
    return { expected: intent, predicted };
  });
  return { ...scorePredictions(predictions), p99Ms: percentile(millis, 99) };
}
