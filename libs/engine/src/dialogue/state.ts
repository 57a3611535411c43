import { z } from 'zod';

/** A slot value as the engine keeps it: what goes to the tool, and what the customer reads. */
const slotValue = z.object({
  value: z.union([z.string(), z.number()]),
  /** Shown in prompts and replies; PII stays a placeholder. */
  display: z.string(),
});

const activeFlow = z.object({
  name: z.string(),
  slots: z.record(z.string(), slotValue),
  /** The slot being asked for, or `confirm` while waiting for yes or no. */
  awaiting: z.string().nullable(),
  /** Failed answers to the current question. */
  attempts: z.number().int().default(0),
});

/** The dialogue engine's memory between turns, stored on the conversation (schema-versioned). */
export const dialogueStateSchema = z.object({
  version: z.literal(1),
  flow: activeFlow.nullable().default(null),
  /** Messages in a row that were not understood, for the fallback ladder. */
  failures: z.number().int().default(0),
  /** Intents offered in a "did you mean" question, to read the answer. */
  clarifying: z.array(z.string()).default([]),
  /** Frustration of the last few customer messages, newest last. */
  frustration: z.array(z.number()).default([]),
  /** Asked "shall I erase your data?", waiting for yes or no. */
  confirmingErasure: z.boolean().default(false),
  /** A person handed the conversation back and asked for a 1–5 rating: the next message may be it. */
  awaitingRating: z.boolean().default(false),
  /** Whether the returning customer has been greeted with what happened last time. */
  recalled: z.boolean().default(false),
  /** The rest of a knowledge answer given in part, offered as "more detail". */
  detail: z.object({ chunkId: z.string(), from: z.number().int() }).nullable().default(null),
  /** The flow finished last turn, so "no, I meant ORD-20417" can re-run it corrected. */
  lastFlow: z
    .object({ name: z.string(), slots: z.record(z.string(), slotValue) })
    .nullable()
    .default(null),
});

export type DialogueState = z.infer<typeof dialogueStateSchema>;
export type ActiveFlow = z.infer<typeof activeFlow>;
export type SlotValue = z.infer<typeof slotValue>;

export const initialState = (): DialogueState => ({
  version: 1,
  flow: null,
  failures: 0,
  clarifying: [],
  frustration: [],
  confirmingErasure: false,
  awaitingRating: false,
  recalled: false,
  detail: null,
  lastFlow: null,
});

/** State written by an older or unknown engine version starts afresh rather than failing. */
export function readState(stored: unknown): DialogueState {
  const parsed = dialogueStateSchema.safeParse(stored);
  return parsed.success ? parsed.data : initialState();
}
