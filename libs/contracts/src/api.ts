import { z } from 'zod';

import { QuickReplySchema } from './jobs';

/** Public HTTP API of the web channel (v1). Clients and the CLI rely on these shapes. */
export const MAX_MESSAGE_TEXT = 4_000;
export const MAX_USER_ID = 200;

/**
 * Anonymous widget visitors get ids with this prefix from `POST /api/v1/visitors`; a userId with it
 * is accepted only with its visitorToken. DO NOT CHANGE: stored visitor ids would lose their rule.
 */
export const VISITOR_ID_PREFIX = 'visitor:';
/** base64url(HMAC-SHA256(visitor key, userId)), unpadded. */
export const VISITOR_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const PostMessageBodySchema = z.strictObject({
  userId: z.string().trim().min(1).max(MAX_USER_ID),
  text: z.string().trim().min(1).max(MAX_MESSAGE_TEXT),
  conversationId: z.uuid().optional(),
  /** hex(HMAC-SHA256(WEB_IDENTITY_SECRET, userId)), computed by the business's backend. */
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (HMAC-SHA256)')
    .optional(),
  /** The visitor's token from POST /api/v1/visitors; required for (and only for) visitor ids. */
  visitorToken: z
    .string()
    .regex(VISITOR_TOKEN_PATTERN, 'must be the visitorToken from POST /api/v1/visitors')
    .optional(),
});
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;

export const ConversationStatusSchema = z.enum(['bot', 'handoff', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

export interface ApiReply {
  id: string;
  text: string;
  quickReplies?: string[];
}

export interface PostMessageResponse {
  conversationId: string;
  replies: ApiReply[];
  status: ConversationStatus;
}

export interface PostMessageAccepted {
  conversationId: string;
  messageId: string;
}

export interface TranscriptMessage {
  id: string;
  role: 'user' | 'assistant' | 'agent' | 'system' | 'tool';
  text: string;
  createdAt: string;
  quickReplies?: string[];
  inReplyTo?: string;
}

export interface TranscriptResponse {
  conversationId: string;
  status: ConversationStatus;
  messages: TranscriptMessage[];
}

/** An anonymous widget visitor's identity: send both with every message and read of theirs. */
export interface VisitorIdentity {
  userId: string;
  visitorToken: string;
}

export interface ApiError {
  error: { code: string; message: string };
}

export { QuickReplySchema };
