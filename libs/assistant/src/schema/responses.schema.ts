import { z } from 'zod';

import { translationsSchema } from './common';

/**
 * responses.yaml: the texts the engine says on its own. Every key is required, so the engine never
 * lacks a sentence.
 */
export const responsesSchema = z.strictObject({
  /** Nothing understood. */
  fallback: translationsSchema,
  /** Two intents are close: "Did you mean {options}?" */
  clarify: translationsSchema,
  /** Handing over to a person during business hours. */
  escalate: translationsSchema,
  /** Handing over outside business hours: a ticket is left for the team. */
  escalate_closed: translationsSchema,
  /** Refusing legal, medical or financial advice. */
  refuse_advice: translationsSchema,
  /** Gently steering an off-topic conversation back to the shop. */
  off_topic: translationsSchema,
  /** The customer said no to a confirmation or stopped a task. */
  cancelled: translationsSchema,
  /** A tool failed and the flow has no `failure` reply of its own. */
  tool_error: translationsSchema,
  /** A task that touches the customer's account, asked by someone the channel has not verified. */
  sign_in_required: translationsSchema,
  /** The order or account asked about is someone else's. */
  not_your_account: translationsSchema,
  /** The customer rated the help after a person handed the conversation back (1–5). */
  rating_thanks: translationsSchema,
});

export type SystemResponses = z.infer<typeof responsesSchema>;
export type SystemResponseKey = keyof SystemResponses;

/** Placeholders each system response may use besides the global ones ({persona.name}, …). */
export const SYSTEM_RESPONSE_PLACEHOLDERS: Record<SystemResponseKey, readonly string[]> = {
  fallback: [],
  clarify: ['options'],
  escalate: [],
  escalate_closed: ['next_open'],
  refuse_advice: ['topic'],
  off_topic: [],
  cancelled: [],
  tool_error: [],
  sign_in_required: [],
  not_your_account: [],
  rating_thanks: ['rating'],
};
