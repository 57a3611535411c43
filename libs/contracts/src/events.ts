import { z } from 'zod';

import { OutboundReplySchema } from './jobs';

/**
 * Events fanned out to every web replica through Redis pub/sub, so whichever replica holds a
 * customer's WebSocket (or waiting HTTP request) can deliver them. Pub/sub is at most once: the
 * `replies` event of a turn is the one that counts (it comes from the outbound queue, retried until
 * delivered); `typing` and `delta` only show the turn under way.
 */
export const RepliesEventSchema = z.object({
  type: z.literal('replies'),
  conversationId: z.string(),
  inReplyTo: z.string().optional(),
  status: z.enum(['bot', 'handoff', 'closed']),
  replies: z.array(OutboundReplySchema),
});

/** The assistant started on the customer's message `inReplyTo`. */
export const TypingEventSchema = z.object({
  type: z.literal('typing'),
  conversationId: z.string(),
  inReplyTo: z.string(),
});

/**
 * A fragment of the reply to `inReplyTo` while a model writes it, already through the output
 * guard. Fragments of one reply are numbered from 0; joined in `seq` order they are a draft that
 * the turn's `replies` event replaces (the final text may be split, have quick replies, or come
 * from the built-in engine if the model failed half-way).
 */
export const DeltaEventSchema = z.object({
  type: z.literal('delta'),
  conversationId: z.string(),
  inReplyTo: z.string(),
  seq: z.number().int().nonnegative(),
  text: z.string(),
});

export const StreamEventSchema = z.discriminatedUnion('type', [
  RepliesEventSchema,
  TypingEventSchema,
  DeltaEventSchema,
]);

export type RepliesEvent = z.infer<typeof RepliesEventSchema>;
export type TypingEvent = z.infer<typeof TypingEventSchema>;
export type DeltaEvent = z.infer<typeof DeltaEventSchema>;
export type StreamEvent = z.infer<typeof StreamEventSchema>;
