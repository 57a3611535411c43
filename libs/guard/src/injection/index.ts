export { detectInjection, INJECTION_THRESHOLD } from './detect-injection';
export {
  evaluateInjection,
  formatInjectionEvaluation,
  type FlagRate,
  type InjectionEvaluation,
  type InjectionEvaluationSets,
} from './evaluate';
export { neutralise } from './neutralise';
export type { InjectionResult, InjectionSignal } from './types';
