import type { Classification } from '@parley/nlu';

import { labelOf } from './turn-output';

/** Intents never worth a "did you mean": they are answered in a word either way. */
const SMALL_TALK = new Set(['greet', 'thanks', 'goodbye', 'affirm', 'deny']);
export const isSmallTalk = (intent: string) => SMALL_TALK.has(intent);

/** A message that is little more than a value ("ORD-55120", "[EMAIL_1]"): what for is unclear. */
export function bareValue(text: string): boolean {
  const words = text.replace(/\[[A-Z]+_\d+\]|\S*\d\S*/g, ' ').match(/\p{L}+/gu) ?? [];
  return words.length <= 1;
}

/**
 * Which offered option the answer picks: its label, "the first", a digit (channels without
 * buttons number the options), or a classification that ranks one of them plausibly.
 */
export function readClarification(
  text: string,
  classification: Classification,
  options: readonly string[],
): string | null {
  const lower = text.trim().toLowerCase();
  const byLabel = options.find((o) => lower === labelOf(o).toLowerCase());
  if (byLabel) return byLabel;
  if (/^(the )?first\b/.test(lower)) return options[0] ?? null;
  if (/^(the )?second\b/.test(lower)) return options[1] ?? null;
  const digit = /^(\d)\.?$/.exec(lower);
  if (digit) return options[Number(digit[1]) - 1] ?? null;
  const ranked = classification.ranking.find((r) => options.includes(r.intent));
  return ranked && ranked.confidence >= 0.3 ? ranked.intent : null;
}
