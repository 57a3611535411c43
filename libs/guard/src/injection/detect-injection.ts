import { hiddenPayloads } from './encoded';
import { deleet, looksObfuscated, normaliseForMatching, spacedOut } from './normalise';
import { MARKUP_RULES, WORD_RULES } from './rules';
import type { InjectionResult, InjectionSignal } from './types';

/** A message is flagged when its combined score reaches this; rule weights are set against it. */
export const INJECTION_THRESHOLD = 0.5;

/** Evidence that the trigger words were disguised; never enough alone. */
const OBFUSCATION_WEIGHT = 0.3;

/** Letters typed one by one ("S a y t h a t …"): an evasion, enough alone. */
const SPACED_OUT_WEIGHT = 0.5;

/** Readable text hidden in base64/hex that is not itself an attack: suspicious, not conclusive. */
const HIDDEN_TEXT_WEIGHT = 0.4;

/**
 * Scores a customer message for prompt injection with fixed rules (English, German, some French
 * and Spanish), looking through leetspeak, look-alike letters, invisible characters and
 * base64/hex/rot13/Unicode-tag payloads. Deterministic and free of I/O; a few hundred
 * microseconds at most.
 */
export function detectInjection(text: string): InjectionResult {
  return assess(text, true);
}

function assess(text: string, lookInsidePayloads: boolean): InjectionResult {
  const weights = new Map<InjectionSignal, number>();
  const raise = (signal: InjectionSignal, weight: number): void => {
    weights.set(signal, Math.max(weights.get(signal) ?? 0, weight));
  };

  const normal = normaliseForMatching(text);
  const leet = deleet(normal);
  for (const { signal, weight, pattern } of MARKUP_RULES) {
    if (pattern.test(normal)) raise(signal, weight);
  }
  for (const { signal, weight, pattern } of WORD_RULES) {
    if (pattern.test(normal)) {
      raise(signal, weight);
    } else if (leet !== normal && pattern.test(leet)) {
      raise(signal, weight);
      raise('obfuscation', OBFUSCATION_WEIGHT);
    }
  }
  if (looksObfuscated(text)) raise('obfuscation', OBFUSCATION_WEIGHT);
  if (spacedOut(text)) raise('obfuscation', SPACED_OUT_WEIGHT);

  if (lookInsidePayloads) {
    for (const payload of hiddenPayloads(text)) {
      const inner = assess(payload.text, false);
      if (inner.detected) raise('encoded_payload', Math.max(0.95, inner.score));
      else if (payload.encoding === 'unicode_tags') raise('encoded_payload', 0.9);
      else if (payload.encoding !== 'rot13') raise('encoded_payload', HIDDEN_TEXT_WEIGHT);
    }
  }

  const ranked = [...weights].sort((a, b) => b[1] - a[1]);
  const score = 1 - ranked.reduce((clear, [, weight]) => clear * (1 - weight), 1);
  return {
    detected: score >= INJECTION_THRESHOLD,
    score: Math.round(score * 1000) / 1000,
    signals: ranked.map(([signal]) => signal),
  };
}
