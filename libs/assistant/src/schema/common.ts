import { z } from 'zod';

/** Names of intents, entities, slots, flows, tools and outcomes: what templates and files refer to. */
export const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case: a-z, 0-9 and _, starting with a letter');

export const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language code such as en, de or pt-BR');

export const text = z.string().trim().min(1, 'must not be empty');

/** A regular expression written as text; must compile. */
export const regexSource = text.refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/**
 * Text per language, each a single text or a list of variants to pick from:
 * `{ en: Hi!, de: [Hallo!, Hi!] }`. Normalised to lists.
 */
export const translationsSchema = z
  .record(
    languageCode,
    z.union([text, z.array(text).min(1)], {
      error: 'expected a text or a list of texts to pick from',
    }),
    { error: 'expected a text per language, e.g. "en: Hello"' },
  )
  .transform((map) =>
    Object.fromEntries(
      Object.entries(map).map(([language, value]) => [
        language,
        typeof value === 'string' ? [value] : value,
      ]),
    ),
  );

/** Language code → variants, at least the assistant's default language. */
export type Translations = z.infer<typeof translationsSchema>;
