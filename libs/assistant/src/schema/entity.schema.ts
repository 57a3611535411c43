import { z } from 'zod';

import { identifier, regexSource, text } from './common';

/** Entities recognised by code rather than declared values; each normalises what it finds. */
export const BUILTIN_ENTITIES = [
  /** A calendar date → YYYY-MM-DD ("tomorrow", "March 3"). */
  'date',
  /** A time of day → HH:MM ("3pm", "half past ten"). */
  'time',
  /** A date and time → ISO 8601 in the business-hours time zone ("tomorrow at 3"). */
  'datetime',
  'email',
  /** A phone number → E.164. */
  'phone',
  /** Money → a number in the policies' currency ("$45.50", "45 bucks"). */
  'amount',
  'number',
  /** Whatever the customer answers, as is (a reason, an address). */
  'text',
] as const;

export type BuiltinEntityType = (typeof BUILTIN_ENTITIES)[number];

/** Numbers the engine can compare: what `min`, `max` and policy limits apply to. */
export const NUMERIC_ENTITIES: readonly BuiltinEntityType[] = ['amount', 'number'];
export const TEMPORAL_ENTITIES: readonly BuiltinEntityType[] = ['date', 'time', 'datetime'];

export const patternEntitySchema = z.strictObject({
  type: z.literal('pattern'),
  description: text.optional(),
  /** Regular expression for the value, without anchors: `ORD-\d{5}`. */
  pattern: regexSource,
  case_sensitive: z.boolean().default(false),
  /** Stored in this case, so `ord-12345` becomes `ORD-12345`. */
  normalize: z.enum(['upper', 'lower', 'none']).default('none'),
  /** Values the pattern must match; checked on load. */
  examples: z.array(text).default([]),
});

export const listEntitySchema = z.strictObject({
  type: z.literal('list'),
  description: text.optional(),
  /** Canonical value → the other ways customers say it. The canonical value itself always matches. */
  values: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower case letters, digits, _ and -'),
    z
      .array(text)
      .nullable()
      .transform((synonyms) => synonyms ?? []),
  ),
});

export const builtinEntitySchema = z.strictObject({
  type: z.enum(BUILTIN_ENTITIES),
  description: text.optional(),
});

export const entitySchema = z.discriminatedUnion('type', [
  patternEntitySchema,
  listEntitySchema,
  builtinEntitySchema,
]);

/** entities.yaml: entity name → definition. */
export const entitiesFileSchema = z.record(identifier, entitySchema);

export type PatternEntity = z.infer<typeof patternEntitySchema>;
export type ListEntity = z.infer<typeof listEntitySchema>;
export type BuiltinEntity = z.infer<typeof builtinEntitySchema>;
export type Entity = z.infer<typeof entitySchema>;
