import type { CountryCode } from 'libphonenumber-js';

import { PiiType, RECOGNIZERS, type PiiSpan, type RecognizerOptions } from './recognizers';

export interface DetectOptions {
  /** Only these kinds (default: all). */
  types?: readonly PiiType[];
  /** Regions whose national phone formats count, most likely first (default: US, GB, DE). */
  phoneRegions?: readonly CountryCode[];
}

export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE'];

/**
 * Every piece of personal data in `text`, in order, without overlaps: where two recognizers claim
 * the same characters, the one with the stricter check (card and IBAN checksums) keeps them.
 */
export function detectPii(text: string, options: DetectOptions = {}): PiiSpan[] {
  const wanted = options.types ? new Set(options.types) : null;
  const recognizerOptions: RecognizerOptions = {
    phoneRegions: options.phoneRegions ?? DEFAULT_PHONE_REGIONS,
  };
  const kept: PiiSpan[] = [];
  for (const [type, recognize] of RECOGNIZERS) {
    if (wanted && !wanted.has(type)) continue;
    for (const found of recognize(text, recognizerOptions)) {
      if (!kept.some((k) => k.start < found.end && found.start < k.end)) kept.push(found);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}
