import { detectPii, type DetectOptions } from './detect';
import { PiiType, type PiiSpan } from './recognizers';

export interface MaskedPii extends PiiSpan {
  /** What replaced the value in the masked text, e.g. `[EMAIL_1]`. */
  placeholder: string;
}

export interface MaskResult {
  /** The text with every value replaced by its placeholder: all that engine, logs and store see. */
  masked: string;
  found: MaskedPii[];
}

/**
 * Card numbers and SSNs are never kept, not even encrypted: nothing Parley does needs them, and
 * keeping them would bring the whole installation into PCI scope. Everything else may be needed
 * by a tool (a callback needs the phone number), so its original goes to the vault.
 */
export const NEVER_STORED: ReadonlySet<PiiType> = new Set([PiiType.CreditCard, PiiType.UsSsn]);

/** Matches placeholders that `maskPii` writes, to recognise them in masked text later. */
export const PLACEHOLDER_PATTERN = /\[(CARD|SSN|EMAIL|PHONE|IBAN|IP)_(\d+)\]/g;

/** Replaces each value with a typed, numbered placeholder; the same value gets the same one. */
export function maskPii(text: string, options: DetectOptions = {}): MaskResult {
  const spans = detectPii(text, options);
  if (spans.length === 0) return { masked: text, found: [] };
  const counters = new Map<PiiType, number>();
  const byValue = new Map<string, string>();
  const found: MaskedPii[] = [];
  let masked = '';
  let cursor = 0;
  for (const span of spans) {
    const key = `${span.type}\u0000${span.value}`;
    let placeholder = byValue.get(key);
    if (!placeholder) {
      const n = (counters.get(span.type) ?? 0) + 1;
      counters.set(span.type, n);
      placeholder = `[${span.type}_${n}]`;
      byValue.set(key, placeholder);
      found.push({ ...span, placeholder });
    }
    masked += text.slice(cursor, span.start) + placeholder;
    cursor = span.end;
  }
  return { masked: masked + text.slice(cursor), found };
}

/** The kinds of PII named by placeholders in already-masked text. */
export function placeholdersIn(masked: string): { placeholder: string; type: PiiType }[] {
  return [...masked.matchAll(PLACEHOLDER_PATTERN)].map((m) => ({
    placeholder: m[0],
    type: m[1] as PiiType,
  }));
}
