import { percentile, scorePredictions } from './evaluate';

describe(scorePredictions.name, () => {
  it('scores a hand-made prediction set', () => {
    const metrics = scorePredictions([
      { expected: 'balance', predicted: 'balance' },
      { expected: 'balance', predicted: 'oos' }, // rejected in-scope: wrong
      { expected: 'card', predicted: 'card' },
      { expected: 'card', predicted: 'balance' },
      { expected: 'oos', predicted: 'oos' },
      { expected: 'oos', predicted: 'card' },
    ]);
    expect(metrics.intentAccuracy).toBeCloseTo(2 / 4);
    expect(metrics.oosRecall).toBeCloseTo(1 / 2);
    expect(metrics.oosPrecision).toBeCloseTo(1 / 2);
    // F1: balance 2·1/(2+2) = 0.5, card 2·1/(2+2) = 0.5, oos 2·1/(2+2) = 0.5.
    expect(metrics.macroF1).toBeCloseTo(0.5);
  });

  it('counts a label only predicted, never expected, in macro F1 with F1 0', () => {
    const metrics = scorePredictions([
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'b' },
    ]);
    // a: 2·1/(2+1) = 2/3, b: 0.
    expect(metrics.macroF1).toBeCloseTo(1 / 3);
    expect(metrics.oosRecall).toBe(0);
    expect(metrics.oosPrecision).toBe(1);
  });

  it('is perfect when every prediction is right', () => {
    expect(
      scorePredictions([
        { expected: 'a', predicted: 'a' },
        { expected: 'oos', predicted: 'oos' },
      ]),
    ).toEqual({ intentAccuracy: 1, oosRecall: 1, oosPrecision: 1, macroF1: 1 });
  });
});

describe(percentile.name, () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBe(0);
  });
});
