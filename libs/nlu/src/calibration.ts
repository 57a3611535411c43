import { bestInScope, isOutOfScope } from './decision';
import { ViewEnsemble } from './ensemble';
import { stratifiedFolds } from './random';

/** Labelled training texts; `oosIndex` is the out-of-scope class when the data has oos rows. */
export interface TrainingSet {
  texts: readonly string[];
  labels: readonly number[];
  classes: number;
  oosIndex: number | undefined;
}

const FOLDS = 5;
// Enough held-out utterances for a stable low quantile; CLINC150 needs one fold, small sets all.
const ENOUGH_HELD_OUT = 2_000;

/**
 * The confidence threshold from held-out folds of the training data: the highest threshold that
 * rejects at most `rejectionBudget` of the held-out in-scope utterances the model got right.
 * It needs no out-of-scope examples, so small assistants without any get a threshold too.
 */
export function calibrateThreshold(
  data: TrainingSet,
  rejectionBudget: number,
  seed: number,
): number {
  const fold = stratifiedFolds(data.labels, FOLDS, seed);
  const correct: number[] = [];
  let inScope = 0;
  for (let f = 0; f < FOLDS && inScope < ENOUGH_HELD_OUT; f++) {
    const train = data.texts.map((_, i) => i).filter((i) => fold[i] !== f);
    const held = data.texts.map((_, i) => i).filter((i) => fold[i] === f);
    if (train.length === 0 || held.length === 0) continue;
    const model = ViewEnsemble.train(
      train.map((i) => data.texts[i]!),
      train.map((i) => data.labels[i]!),
      data.classes,
      seed,
    );
    for (const i of held) {
      if (data.labels[i] === data.oosIndex) continue;
      inScope++;
      const probabilities = model.probabilities(data.texts[i]!);
      const best = bestInScope(probabilities, data.oosIndex);
      const right = best.index === data.labels[i] && !isOutOfScope(probabilities, data.oosIndex, 0);
      if (right) correct.push(best.probability);
    }
  }
  correct.sort((a, b) => a - b);
  const rejectable = Math.floor(rejectionBudget * inScope);
  return rejectable < correct.length ? correct[rejectable]! : 0;
}
