import { DEFAULT_PRICES, costOf, parsePriceTable } from './pricing';

describe(costOf.name, () => {
  const prices = parsePriceTable({
    'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    'llama3.1:8b': { inputPerMTok: 0, outputPerMTok: 0 },
  });

  it('prices input and output tokens per million', () => {
    // 2,000 × 0.15 / 1M + 500 × 0.60 / 1M = 0.0003 + 0.0003
    expect(costOf({ inputTokens: 2_000, outputTokens: 500 }, 'gpt-4o-mini', prices)).toBeCloseTo(
      0.0006,
      10,
    );
  });

  it('prices a dated snapshot as its model', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    expect(costOf(usage, 'gpt-4o-mini-2024-07-18', prices)).toBeCloseTo(0.15, 10);
    expect(costOf(usage, 'claude-haiku-4-5-20251001', DEFAULT_PRICES)).toBeCloseTo(1, 10);
  });

  it('gives null, not 0, for a model without a price', () => {
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, 'gpt-9', prices)).toBeNull();
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, 'constructor', prices)).toBeNull();
  });

  it('gives 0 for a model priced at zero (self-hosted)', () => {
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, 'llama3.1:8b', prices)).toBe(0);
  });
});

describe(parsePriceTable.name, () => {
  it('rejects negative, missing and unknown fields, naming the entry', () => {
    expect(() => parsePriceTable({ 'gpt-4o': { inputPerMTok: -1, outputPerMTok: 10 } })).toThrow(
      /invalid price table: gpt-4o\.inputPerMTok/,
    );
    expect(() => parsePriceTable({ 'gpt-4o': { inputPerMTok: 2.5 } })).toThrow(/outputPerMTok/);
    expect(() =>
      parsePriceTable({ 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, currency: 'EUR' } }),
    ).toThrow(/invalid price table/);
  });
});
