import {
  normalCdf,
  regularizedIncompleteBeta,
  twoProportionZTest,
  twoSidedStudent,
  welchTTest,
  type SampleSummary,
} from './statistics';

import { mean, sampleVariance } from 'simple-statistics';

const summary = (values: number[]): SampleSummary => ({
  n: values.length,
  mean: mean(values),
  variance: sampleVariance(values),
});

describe('twoProportionZTest', () => {
  it('matches the hand-worked example: 500/1000 against 550/1000', () => {
    // Pooled p = 0.525, SE = √(0.525·0.475·(2/1000)) = 0.022333, z = 0.05 / SE = 2.2389,
    // two-sided p = 2·(1 − Φ(2.2389)) = 0.02516.
    const test = twoProportionZTest(500, 1000, 550, 1000)!;
    expect(test.difference).toBeCloseTo(0.05, 10);
    expect(test.z).toBeCloseTo(2.2389, 4);
    expect(test.pValue).toBeCloseTo(0.02516, 4);
  });

  it('is symmetric and two-sided', () => {
    const forward = twoProportionZTest(100, 200, 125, 200)!;
    const backward = twoProportionZTest(125, 200, 100, 200)!;
    expect(forward.z).toBeCloseTo(2.5198, 4);
    expect(backward.z).toBeCloseTo(-forward.z, 10);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 10);
    expect(forward.pValue).toBeCloseTo(0.01174, 4);
  });

  it('has no answer for an empty group or outcomes that never vary', () => {
    expect(twoProportionZTest(0, 0, 3, 10)).toBeNull();
    expect(twoProportionZTest(10, 10, 20, 20)).toBeNull();
    expect(twoProportionZTest(0, 10, 0, 20)).toBeNull();
  });
});

describe('welchTTest', () => {
  // The three examples of Wikipedia's "Welch's t-test" article (t, ν, p as published there).
  it('matches the first example: equal sizes, similar variances (t −2.46, ν 25.0, p 0.021)', () => {
    const a = [
      27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4,
    ];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4,
    ];
    const test = welchTTest(summary(a), summary(b))!;
    // Second minus first, so positive here where the article subtracts the other way.
    expect(test.t).toBeCloseTo(2.4554, 3);
    expect(test.df).toBeCloseTo(24.99, 1);
    expect(test.pValue).toBeCloseTo(0.02138, 4);
  });

  it('matches the second example: unequal sizes and variances (t −1.57, ν 9.9, p 0.149)', () => {
    const a = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    const b = [
      21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6,
      21.5, 22.5, 23.5, 21.5, 21.8,
    ];
    const test = welchTTest(summary(a), summary(b))!;
    expect(test.t).toBeCloseTo(1.5654, 3);
    expect(test.df).toBeCloseTo(9.905, 2);
    expect(test.pValue).toBeCloseTo(0.14884, 4);
  });

  it('matches the third example (t −2.22, ν 24.5, p 0.035)', () => {
    const a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
    const b = [
      28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9,
      21.6, 24.3, 20.4, 23.9, 13.3,
    ];
    const test = welchTTest(summary(a), summary(b))!;
    expect(test.t).toBeCloseTo(2.2255, 3);
    expect(test.df).toBeCloseTo(24.52, 1);
    expect(test.pValue).toBeCloseTo(0.03548, 4);
  });

  it('has no answer with fewer than two values or no variation at all', () => {
    expect(welchTTest({ n: 1, mean: 4, variance: 0 }, { n: 10, mean: 3, variance: 1 })).toBeNull();
    expect(welchTTest({ n: 5, mean: 5, variance: 0 }, { n: 5, mean: 4, variance: 0 })).toBeNull();
  });
});

describe('distributions', () => {
  it('gives the standard normal CDF at table points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it("gives Student's t tails at table points", () => {
    // t(5) two-sided: P(|T| ≥ 2.015) = 0.10, P(|T| ≥ 2.571) = 0.05; t(1) is Cauchy: P(|T| ≥ 1) = 0.5.
    expect(twoSidedStudent(2.015048, 5)).toBeCloseTo(0.1, 5);
    expect(twoSidedStudent(-2.570582, 5)).toBeCloseTo(0.05, 5);
    expect(twoSidedStudent(1, 1)).toBeCloseTo(0.5, 8);
    expect(twoSidedStudent(0, 12)).toBeCloseTo(1, 10);
  });

  it('gives the incomplete beta function at closed-form points', () => {
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
    expect(regularizedIncompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 10);
    expect(regularizedIncompleteBeta(0.8, 1, 3)).toBeCloseTo(1 - 0.2 ** 3, 10);
  });
});
