import { detectAnyLanguage } from '@parley/guard';

/**
 * ISO 639-1 code → the PostgreSQL text search configuration that stems it. These ship with every
 * PostgreSQL; any other language is indexed with `simple` (words as written, no stemming).
 */
const TEXT_SEARCH_CONFIGS: Readonly<Record<string, string>> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  nl: 'dutch',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** The text search configuration for a language code ('de' → 'german'), `simple` if none. */
export function textSearchConfigFor(language: string): string {
  return TEXT_SEARCH_CONFIGS[language.toLowerCase()] ?? 'simple';
}

/**
 * The text search configuration of a document from its own text, or null when the text is too
 * short or too mixed to tell (the caller's default applies then).
 */
export function detectTextSearchConfig(content: string): string | null {
  const detected = detectAnyLanguage(content);
  return detected.confident ? textSearchConfigFor(detected.language) : null;
}
