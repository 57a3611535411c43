import {
  twoProportionZTest,
  welchTTest,
  type SampleSummary,
  type TTest,
  type ZTest,
} from './statistics';

/** Two-sided tests at 95%. */
export const ALPHA = 0.05;
/** Fewer conversations in an arm than this and the rates' tests say "not enough data". */
export const MIN_CONVERSATIONS_PER_ARM = 30;
/** Fewer ratings in an arm than this and the CSAT test says "not enough data". */
export const MIN_RATINGS_PER_ARM = 15;
/**
 * The normal approximation behind the z-test also wants this many of each outcome (successes
 * and failures, both arms together).
 */
export const MIN_OUTCOMES = 5;

export type Verdict = 'not enough data' | 'significant at 95%' | 'not significant at 95%';

/** What was measured in one arm: the conversations the arm served. */
export interface ArmCounts {
  arm: string;
  /** Customers assigned to the arm. */
  customers: number;
  conversations: number;
  /** Conversations without a hand-over ticket. */
  contained: number;
  /** Conversations the bot handed over to a person (policy or the customer's request). */
  escalated: number;
  /** Ratings given (1–5). */
  csat: SampleSummary;
  /** Customer messages per conversation. */
  averageTurns: number | null;
  /** Model cost per conversation (priced models only). */
  costPerConversationUsd: number | null;
  /** Median time from a customer's message to the reply being ready. */
  latencyP50Ms: number | null;
}

export interface ArmResult extends Omit<ArmCounts, 'csat'> {
  containmentRate: number | null;
  escalationRate: number | null;
  csat: { count: number; mean: number | null };
}

export interface RateComparison extends Partial<Omit<ZTest, 'pValue'>> {
  pValue: number | null;
  verdict: Verdict;
}

export interface MeanComparison extends Partial<Omit<TTest, 'pValue'>> {
  pValue: number | null;
  verdict: Verdict;
}

/** One arm against the control (the first arm). */
export interface Comparison {
  control: string;
  arm: string;
  containment: RateComparison;
  escalation: RateComparison;
  csat: MeanComparison;
}

export interface ExperimentResults {
  arms: ArmResult[];
  comparisons: Comparison[];
  thresholds: { alpha: number; minConversationsPerArm: number; minRatingsPerArm: number };
}

/** Per-arm rates and each arm's tests against the first arm (the control). */
export function compareArms(counts: readonly ArmCounts[]): ExperimentResults {
  const arms = counts.map(armResult);
  const [control, ...others] = counts;
  return {
    arms,
    comparisons: control
      ? others.map((arm) => ({
          control: control.arm,
          arm: arm.arm,
          containment: compareRates(control, arm, (c) => c.contained),
          escalation: compareRates(control, arm, (c) => c.escalated),
          csat: compareMeans(control.csat, arm.csat),
        }))
      : [],
    thresholds: {
      alpha: ALPHA,
      minConversationsPerArm: MIN_CONVERSATIONS_PER_ARM,
      minRatingsPerArm: MIN_RATINGS_PER_ARM,
    },
  };
}

function armResult({ csat, ...counts }: ArmCounts): ArmResult {
  const rate = (x: number) => (counts.conversations > 0 ? x / counts.conversations : null);
  return {
    ...counts,
    containmentRate: rate(counts.contained),
    escalationRate: rate(counts.escalated),
    csat: { count: csat.n, mean: csat.n > 0 ? csat.mean : null },
  };
}

export function compareRates(
  control: ArmCounts,
  arm: ArmCounts,
  successes: (counts: ArmCounts) => number,
): RateComparison {
  const [x1, n1, x2, n2] = [
    successes(control),
    control.conversations,
    successes(arm),
    arm.conversations,
  ];
  const test = twoProportionZTest(x1, n1, x2, n2);
  const enough =
    Math.min(n1, n2) >= MIN_CONVERSATIONS_PER_ARM &&
    x1 + x2 >= MIN_OUTCOMES &&
    n1 + n2 - x1 - x2 >= MIN_OUTCOMES;
  return { ...test, pValue: test?.pValue ?? null, verdict: verdictOf(test, enough) };
}

export function compareMeans(control: SampleSummary, arm: SampleSummary): MeanComparison {
  const test = welchTTest(control, arm);
  const enough = Math.min(control.n, arm.n) >= MIN_RATINGS_PER_ARM;
  return { ...test, pValue: test?.pValue ?? null, verdict: verdictOf(test, enough) };
}

function verdictOf(test: { pValue: number } | null, enough: boolean): Verdict {
  if (!test || !enough) return 'not enough data';
  return test.pValue < ALPHA ? 'significant at 95%' : 'not significant at 95%';
}
