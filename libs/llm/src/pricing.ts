import { z } from 'zod';

import type { TokenUsage } from './types';

export const modelPriceSchema = z
  .object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() })
  .strict();

/** USD per million tokens, by model name as the vendor reports it. */
export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);

export type ModelPrice = z.infer<typeof modelPriceSchema>;
export type PriceTable = z.infer<typeof priceTableSchema>;

/** Validates a price table from configuration, naming every bad entry. */
export function parsePriceTable(input: unknown): PriceTable {
  const parsed = priceTableSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid price table: ${problems.join('; ')}`);
}

/**
 * EDITABLE CONFIG, not a fact: list prices as published in late 2025. Vendors change them; an
 * installation passes its own table (with its negotiated prices) instead of trusting this one.
 */
export const DEFAULT_PRICES: PriceTable = parsePriceTable({
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
});

// Vendors answer with dated snapshots (gpt-4o-mini-2024-07-18, claude-haiku-4-5-20251001).
const SNAPSHOT_DATE = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * What a call cost in USD, or null when the model has no price: unknown is not free, and a
 * self-hosted model the operator wants counted as free gets an entry of zeros.
 */
export function costOf(usage: TokenUsage, model: string, prices: PriceTable): number | null {
  const price = priceOf(model, prices) ?? priceOf(model.replace(SNAPSHOT_DATE, ''), prices);
  if (!price) return null;
  return (
    (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000
  );
}

function priceOf(model: string, prices: PriceTable): ModelPrice | undefined {
  // Own keys only: "constructor" or "toString" are not models.
  return Object.hasOwn(prices, model) ? prices[model] : undefined;
}
