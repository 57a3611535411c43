import { calibrateThreshold, type TrainingSet } from './calibration';
import { isOutOfScope, topClasses } from './decision';
import { ViewEnsemble } from './ensemble';
import { NluError, NluErrorCode } from './errors';

/** The label of utterances no intent covers, in training data and in results. */
export const OUT_OF_SCOPE = 'oos';

/** One training (or test) utterance. */
export interface Example {
  text: string;
  intent: string;
}

export interface IntentScore {
  intent: string;
  /** Probability in 0..1 from the model. */
  confidence: number;
}

export interface Classification {
  /** The recognised intent, or `oos` when no intent is confident enough. */
  intent: string;
  /** Probability of `intent`; for `oos`, one minus the best intent's probability. */
  confidence: number;
  /** The best in-scope intents, most likely first, even for `oos` (for "Did you mean X or Y?"). */
  ranking: IntentScore[];
}

export interface TrainOptions {
  /** Fixed confidence threshold below which a message is `oos`; skips calibration. */
  threshold?: number;
  /** Share of correctly recognised held-out messages calibration may send to `oos`. */
  rejectionBudget?: number;
  /** How many intents `ranking` lists. */
  rankingSize?: number;
  seed?: number;
}

// Chosen on CLINC150's validation split, never its test split: budgets of 0.1 / 0.25 / 0.5%
// gave 93.0 / 92.8 / 92.4% in-scope accuracy with 68 / 72 / 77% out-of-scope recall there.
export const DEFAULT_REJECTION_BUDGET = 0.0025;

/** A trained intent classifier; `classify` is synchronous and allocation-light. */
export class IntentClassifier {
  constructor(
    /** In-scope intents, sorted. */
    readonly intents: readonly string[],
    /** Confidence below which a message is out of scope. */
    readonly threshold: number,
    private readonly labels: readonly string[],
    private readonly oosIndex: number | undefined,
    private readonly model: ViewEnsemble,
    private readonly rankingSize: number,
  ) {}

  classify(text: string): Classification {
    const probabilities = this.model.probabilities(text);
    const ranking = topClasses(probabilities, this.oosIndex, this.rankingSize).map((c) => ({
      intent: this.labels[c]!,
      confidence: probabilities[c]!,
    }));
    const top = ranking[0]!;
    return isOutOfScope(probabilities, this.oosIndex, this.threshold)
      ? { intent: OUT_OF_SCOPE, confidence: 1 - top.confidence, ranking }
      : { intent: top.intent, confidence: top.confidence, ranking };
  }
}

/**
 * Learns intents from example utterances. Rows labelled `oos` become an out-of-scope class of
 * their own (never offered in `ranking`), and the confidence threshold is calibrated on held-out
 * folds of these examples unless `options.threshold` is given. Same examples, same model.
 */
export function trainClassifier(
  examples: readonly Example[],
  options: TrainOptions = {},
): IntentClassifier {
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const intents = labels.filter((label) => label !== OUT_OF_SCOPE);
  if (intents.length === 0) {
    throw new NluError(NluErrorCode.NoIntents, 'no in-scope intent to learn from the examples');
  }
  const index = new Map(labels.map((label, i) => [label, i]));
  const data: TrainingSet = {
    texts: examples.map((e) => e.text),
    labels: examples.map((e) => index.get(e.intent)!),
    classes: labels.length,
    oosIndex: index.get(OUT_OF_SCOPE),
  };
  const seed = options.seed ?? 1;
  const threshold =
    options.threshold ??
    calibrateThreshold(data, options.rejectionBudget ?? DEFAULT_REJECTION_BUDGET, seed);
  const model = ViewEnsemble.train(data.texts, data.labels, data.classes, seed);
  return new IntentClassifier(
    intents,
    threshold,
    labels,
    data.oosIndex,
    model,
    Math.max(1, options.rankingSize ?? 3),
  );
}
