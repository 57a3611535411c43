import { z } from 'zod';

import { identifier, text, translationsSchema } from './common';

/** Fewer examples than this and a classifier cannot tell an intent from its neighbours. */
export const MIN_EXAMPLES = 5;

/**
 * intents/<name>.yaml: something a customer may want. It is answered by its own `responses`, by
 * the flow that names it as `trigger`, from the `knowledge` documents it lists, or by handing over
 * (policies.yaml `escalation.on_intents`): exactly one of these.
 */
export const intentSchema = z.strictObject({
  name: identifier,
  description: text,
  /** What customers say, in their words: varied phrasing, short and long, typos included. */
  examples: z.array(text).min(MIN_EXAMPLES, `needs at least ${MIN_EXAMPLES} examples`),
  /** Replies for simple intents (greetings, thanks), picked at random per language. */
  responses: translationsSchema.optional(),
  /** Knowledge documents (file names in knowledge/) that answer this intent. */
  knowledge: z.array(text).min(1).optional(),
});

export type Intent = z.infer<typeof intentSchema>;
