import { z } from 'zod';

import { languageCode, text } from './common';

export const personaSchema = z.strictObject({
  /** The name the assistant introduces itself with. */
  name: text,
  /** How it speaks, in a sentence or two; given to the LLM engine and to people writing replies. */
  tone: text,
  /** What it must never do or say, one rule per item. */
  boundaries: z.array(text).default([]),
  /** Extra system-prompt text for the LLM engine. */
  instructions: text.optional(),
});

/** assistant.yaml: who the assistant is and which languages it speaks. */
export const assistantFileSchema = z.strictObject({
  /** The tenant id (PARLEY_ASSISTANT_ID): lower case letters, digits and -. */
  id: z.string().regex(/^[a-z0-9-]+$/, 'use lower case letters, digits and -'),
  name: text,
  description: text.optional(),
  /** Used when the customer's language is not one of `languages`; every text needs it. */
  default_language: languageCode,
  languages: z.array(languageCode).min(1),
  persona: personaSchema,
});

export type Persona = z.infer<typeof personaSchema>;
export type AssistantFile = z.infer<typeof assistantFileSchema>;
