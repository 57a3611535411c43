import { errorFunction, gammaln } from 'simple-statistics';

/**
 * Tests of the difference between two arms. simple-statistics provides the normal distribution
 * (its erf, accurate to about 1e-7, rather than its 4-digit table) and log-gamma; it has no
 * Student t distribution and its two-sample t-test pools the variances (Student's, not Welch's),
 * so the t tail below is the regularized incomplete beta function, evaluated exactly by its
 * continued fraction: no normal approximation of t, whatever the degrees of freedom.
 */

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

export interface ZTest {
  /** Difference of the rates, second minus first. */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * Two-proportion z-test with the pooled proportion under the null hypothesis (no continuity
 * correction): `x` successes out of `n` in each group. Null when a group is empty or every
 * outcome is the same (the test has no variance to work with).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  const difference = x2 / n2 - x1 / n1;
  const z = difference / se;
  return { difference, z, pValue: twoSidedNormal(z) };
}

/** What Welch's test needs of a sample. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator). */
  variance: number;
}

export interface TTest {
  /** Difference of the means, second minus first. */
  difference: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * Welch's unequal-variances t-test from the two samples' summaries. Null with fewer than two
 * values in a sample, or when neither sample varies.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): TTest | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) return null;
  const difference = b.mean - a.mean;
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { difference, t, df, pValue: twoSidedStudent(t, df) };
}

/** P(|Z| ≥ |z|). */
function twoSidedNormal(z: number): number {
  return clampProbability(2 * (1 - normalCdf(Math.abs(z))));
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function twoSidedStudent(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return clampProbability(regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** I_x(a, b), by the continued fraction of Numerical Recipes (betacf) with Lentz's method. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The fraction converges fast only below this point; the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) covers the rest.
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a;
  return 1 - (front * continuedFraction(1 - x, b, a)) / b;
}

const EPSILON = 1e-14;
const TINY = 1e-300;
const MAX_ITERATIONS = 500;

function continuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step.
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    result *= d * c;
    // Odd step.
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + term / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return result;
}

const clampProbability = (p: number) => Math.min(1, Math.max(0, p));
