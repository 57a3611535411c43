import { detectAll, validateISO2 } from 'tinyld';

export interface LanguageResult {
  /** ISO 639-1 ('en', 'de', 'fr', 'es', …): one of `supported`, or the fallback. */
  language: string;
  /** False for short or ambiguous text, where `language` is the fallback or a guess. */
  confident: boolean;
}

/** Below this many letters n-gram detection is a coin toss ("ok thanks", "hallo", "merci"). */
export const MIN_LETTERS_FOR_DETECTION = 20;

/** Plenty for n-gram statistics; tinyld's time grows fast with length (seconds at 50 kB). */
const SAMPLE_CHARS = 1000;

/** URLs, e-mail addresses, numbers and order ids say nothing about the language. */
const NOISE = /\bhttps?:\/\/\S+|\S+@\S+\.\S+|[\p{N}#_/\\-]+/gu;

/**
 * The language of a customer's message among the assistant's `supported` languages (ISO 639-1;
 * the first is the assistant's default), with tinyld (a CommonJS n-gram detector; franc is
 * ESM-only and jest here cannot load it). Detection is restricted to `supported`, which makes
 * short support messages far more accurate; `confident` additionally requires enough letters
 * and that detection over all languages agrees, so a message in an unsupported language (or
 * a mixed one) comes back unconfident. Short or undetectable text returns `fallback`.
 */
export function detectLanguage(
  text: string,
  supported: readonly string[],
  fallback: string = supported[0] ?? 'en',
): LanguageResult {
  const only = supported.map((code) => code.toLowerCase()).filter((code) => validateISO2(code));
  const content = detectable(text);
  if (only.length === 0 || content === null) return { language: fallback, confident: false };

  const best = detectAll(content, { only })[0]?.lang;
  if (!best) return { language: fallback, confident: false };
  const overall = detectAll(content)[0]?.lang;
  return { language: best, confident: best === overall };
}

/**
 * The message's language among all languages tinyld knows, for telling a customer politely that
 * their language is not supported; unconfident for short text.
 */
export function detectAnyLanguage(text: string): LanguageResult & { known: boolean } {
  const content = detectable(text);
  const [best, second] = content === null ? [] : detectAll(content);
  if (!best) return { language: 'und', confident: false, known: false };
  // A clear winner: its accuracy well ahead of the runner-up.
  const confident = !second || best.accuracy - second.accuracy > 0.1;
  return { language: best.lang, confident, known: true };
}

/**
 * What of `text` detection reads: a bounded prefix without noise, so a 50 kB paste costs what a
 * paragraph does; null when it has too few letters to tell a language by.
 */
function detectable(text: string): string | null {
  const content = text
    .slice(0, SAMPLE_CHARS * 2)
    .replace(NOISE, ' ')
    .slice(0, SAMPLE_CHARS);
  const letters = content.match(/\p{L}/gu)?.length ?? 0;
  return letters < MIN_LETTERS_FOR_DETECTION ? null : content;
}
