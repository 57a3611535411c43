import { z } from 'zod';

import { OutboundReplySchema } from './jobs';

/**
 * Events fanned out to every web replica through Redis pub/sub, so whichever replica holds a
 * customer's WebSocket (or waiting HTTP request) can deliver them.
 */
export const RepliesEventSchema = z.object({
  type: z.literal('replies'),
  conversationId: z.string(),
  inReplyTo: z.string().optional(),
  status: z.enum(['bot', 'handoff', 'closed']),
  replies: z.array(OutboundReplySchema),
});

export const StreamEventSchema = z.discriminatedUnion('type', [RepliesEventSchema]);

export type RepliesEvent = z.infer<typeof RepliesEventSchema>;
export type StreamEvent = z.infer<typeof StreamEventSchema>;
