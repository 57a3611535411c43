export {
  type Classification,
  DEFAULT_REJECTION_BUDGET,
  type Example,
  IntentClassifier,
  type IntentScore,
  OUT_OF_SCOPE,
  type TrainOptions,
  trainClassifier,
} from './classifier';
export { NluError, NluErrorCode } from './errors';
export {
  evaluate,
  type Evaluation,
  type Metrics,
  percentile,
  type Prediction,
  scorePredictions,
} from './evaluate';
export { parseExamples, readExamples } from './jsonl';
