import { z } from 'zod';

import { identifier, regexSource, text, translationsSchema } from './common';

/** Reply keys every flow may use besides the outcomes its tool declares. */
export const FLOW_OUTCOMES = {
  /** The tool ran and reported no other outcome. Required. */
  success: 'success',
  /** The tool failed (error, timeout, unexpected status); falls back to responses.tool_error. */
  failure: 'failure',
  /** The customer said no to the confirmation; falls back to responses.cancelled. */
  declined: 'declined',
} as const;

export const slotValidationSchema = z.strictObject({
  /** For amount and number slots. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** For any slot: the raw value must match this regular expression. */
  pattern: regexSource.optional(),
  /** For list slots: only these canonical values are accepted. */
  one_of: z.array(text).min(1).optional(),
  /** For date, time and datetime slots. */
  future: z.boolean().optional(),
  /** For datetime slots: inside policies.yaml business hours. */
  within_business_hours: z.boolean().optional(),
});

export const slotSchema = z.strictObject({
  entity: identifier,
  /** Asked when the slot is still empty. Placeholders: other slots. */
  prompt: translationsSchema,
  validate: slotValidationSchema.optional(),
  /** Said when a value fails validation, before asking again; defaults to the prompt. */
  invalid: translationsSchema.optional(),
  /** Optional slots are asked once and may be skipped. */
  required: z.boolean().default(true),
});

/** Hand the conversation to a person instead of calling the tool when a slot is over a limit. */
export const escalationRuleSchema = z.strictObject({
  slot: identifier,
  /** A number in policies.yaml, as a path: refunds.auto_approve_limit. */
  above: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'expected a path into policies.yaml'),
  reply: translationsSchema,
});

/** flows/<name>.yaml: a task: collect slots, confirm, call one tool, reply per outcome. */
export const flowSchema = z.strictObject({
  name: identifier,
  description: text,
  /** The intent that starts this flow. */
  trigger: identifier,
  /** Asked in this order, skipping those the customer already gave. */
  slots: z.record(identifier, slotSchema).default({}),
  /** Asked before the tool runs, answered yes or no. Required when the tool has side effects. */
  confirm: translationsSchema.optional(),
  escalate_when: z.array(escalationRuleSchema).default([]),
  tool: identifier,
  /** Tool argument → template; arguments not listed take the slot of the same name. */
  args: z.record(identifier, text).default({}),
  /** Outcome → reply: success, failure, declined and the tool's own outcomes. */
  replies: z.record(identifier, translationsSchema),
  /** Outcomes after whose reply the conversation is handed to a person. */
  escalate_on: z.array(identifier).default([]),
});

export type SlotValidation = z.infer<typeof slotValidationSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type EscalationRule = z.infer<typeof escalationRuleSchema>;
export type Flow = z.infer<typeof flowSchema>;
