import { performance } from 'node:perf_hooks';

import { InvalidArgumentError } from 'commander';

import {
  type Evaluation,
  evaluate,
  OUT_OF_SCOPE,
  readExamples,
  trainClassifier,
} from '@parley/nlu';

export interface NluEvalOptions {
  train: string;
  test: string;
  json: boolean;
  /** Fixed out-of-scope threshold instead of the one calibrated on the training file. */
  threshold?: number;
}

export interface NluEvalReport extends Evaluation {
  trainSeconds: number;
}

/** Trains on one JSONL file and scores the classifier on another; needs no database or Redis. */
export function nluEval(options: NluEvalOptions): void {
  const train = readExamples(options.train);
  const test = readExamples(options.test);
  const started = performance.now();
  const classifier = trainClassifier(
    train,
    options.threshold === undefined ? {} : { threshold: options.threshold },
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const report: NluEvalReport = { ...evaluate(classifier, test), trainSeconds };
  if (options.json) {
    const { intentAccuracy, oosRecall, oosPrecision, macroF1, p99Ms } = report;
    console.log(
      JSON.stringify({ intentAccuracy, oosRecall, oosPrecision, macroF1, trainSeconds, p99Ms }),
    );
    return;
  }
  const inScope = test.filter((e) => e.intent !== OUT_OF_SCOPE).length;
  const percent = (rate: number) => `${(100 * rate).toFixed(1)}%`;
  const rows: [string, string][] = [
    ['intents', `${classifier.intents.length}`],
    ['train / test rows', `${train.length} / ${test.length} (${inScope} in scope)`],
    ['oos threshold', `${classifier.threshold.toFixed(3)}`],
    ['in-scope accuracy', percent(report.intentAccuracy)],
    ['oos recall', percent(report.oosRecall)],
    ['oos precision', percent(report.oosPrecision)],
    ['macro F1', percent(report.macroF1)],
    ['training', `${report.trainSeconds.toFixed(1)} s`],
    ['p99 inference', `${report.p99Ms.toFixed(3)} ms`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

/** Parses `--threshold` for commander, which reports the error and exits. */
export function parseThreshold(value: string): number {
  const threshold = Number(value);
  if (value.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new InvalidArgumentError('expected a number between 0 and 1.');
  }
  return threshold;
}
