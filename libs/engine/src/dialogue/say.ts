import { renderTemplate, type Translations } from '@parley/assistant';

/**
 * Picks the text for `language` (else the default language), choosing among variants by `seed`
 * so the same turn always reads the same, and fills its placeholders.
 */
export function say(
  texts: Translations | undefined,
  language: string,
  defaultLanguage: string,
  values: Readonly<Record<string, unknown>>,
  seed = 0,
): string {
  if (!texts) return '';
  const variants = texts[language] ?? texts[defaultLanguage] ?? Object.values(texts)[0] ?? [];
  const text = variants[Math.abs(seed) % Math.max(1, variants.length)] ?? '';
  return renderTemplate(text, values);
}

/** A small stable number from a string (the message id), for picking variants. */
export function seedOf(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (hash * 31 + value.charCodeAt(i)) | 0;
  return hash;
}

/** "a, b or c" in the language's words. */
export function joinOptions(options: string[], language: string): string {
  const or = language === 'de' ? 'oder' : 'or';
  if (options.length <= 1) return options.join('');
  return `${options.slice(0, -1).join(', ')} ${or} ${options.at(-1)}`;
}

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
};

/** "de" → "German", for telling a customer which languages the assistant speaks. */
export const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;
