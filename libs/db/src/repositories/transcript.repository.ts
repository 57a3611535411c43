import type { ConversationStatus, TranscriptMessage } from '@parley/contracts';

import type { Database } from '../database';

export interface Transcript {
  conversationId: string;
  status: ConversationStatus;
  messages: TranscriptMessage[];
}

/** A stored message as the public API shows it. */
function toTranscriptMessage(m: {
  id: string;
  role: TranscriptMessage['role'];
  text: string;
  quickReplies: unknown;
  inReplyToId: string | null;
  createdAt: Date;
}): TranscriptMessage {
  return {
    id: m.id,
    role: m.role,
    text: m.text,
    createdAt: m.createdAt.toISOString(),
    ...(Array.isArray(m.quickReplies) ? { quickReplies: m.quickReplies as string[] } : {}),
    ...(m.inReplyToId ? { inReplyTo: m.inReplyToId } : {}),
  };
}

export class TranscriptRepository {
  constructor(private readonly db: Database) {}

  async exists(assistantId: string, conversationId: string): Promise<boolean> {
    const found = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: { id: true },
    });
    return found !== null;
  }

  /** Who the conversation belongs to: the channel identity, and whether it was verified. */
  async owner(
    assistantId: string,
    conversationId: string,
  ): Promise<{ channel: string; externalUserId: string; verified: boolean } | null> {
    const found = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: { identity: { select: { channel: true, externalId: true, verified: true } } },
    });
    if (!found) return null;
    const { channel, externalId, verified } = found.identity;
    return { channel, externalUserId: externalId, verified };
  }

  /** The conversation in order, or null when it does not exist for this assistant. */
  async transcript(assistantId: string, conversationId: string): Promise<Transcript | null> {
    const conversation = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: {
        id: true,
        status: true,
        messages: {
          orderBy: { seq: 'asc' },
          select: {
            id: true,
            role: true,
            text: true,
            quickReplies: true,
            inReplyToId: true,
            createdAt: true,
          },
        },
      },
    });
    if (!conversation) return null;
    return {
      conversationId: conversation.id,
      status: conversation.status,
      messages: conversation.messages.map(toTranscriptMessage),
    };
  }

  /**
   * The conversation as support staff and evaluations see it: with each message's intent and
   * confidence, the escalation reason, the summary and the engine's state (slots).
   */
  async inspect(assistantId: string, conversationId: string) {
    const conversation = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: {
        id: true,
        status: true,
        escalationReason: true,
        summary: true,
        language: true,
        state: true,
        messages: {
          orderBy: { seq: 'asc' },
          select: {
            id: true,
            role: true,
            text: true,
            intent: true,
            confidence: true,
            quickReplies: true,
            inReplyToId: true,
            latencyMs: true,
            createdAt: true,
          },
        },
      },
    });
    if (!conversation) return null;
    return {
      conversationId: conversation.id,
      status: conversation.status,
      escalationReason: conversation.escalationReason,
      summary: conversation.summary,
      language: conversation.language,
      state: conversation.state,
      messages: conversation.messages.map((m) => ({
        ...toTranscriptMessage(m),
        intent: m.intent,
        confidence: m.confidence,
        latencyMs: m.latencyMs,
      })),
    };
  }

  /** Replies already stored for a customer message (answers a retried request at once). */
  async repliesTo(
    assistantId: string,
    messageId: string,
  ): Promise<{ status: ConversationStatus; replies: TranscriptMessage[] } | null> {
    const message = await this.db.prisma.message.findFirst({
      where: { id: messageId, assistantId },
      select: { turnStatus: true, conversation: { select: { status: true } } },
    });
    if (!message || message.turnStatus !== 'done') return null;
    const replies = await this.db.prisma.message.findMany({
      where: { assistantId, inReplyToId: messageId },
      orderBy: { seq: 'asc' },
      select: { id: true, role: true, text: true, quickReplies: true, createdAt: true },
    });
    return {
      status: message.conversation.status,
      replies: replies.map((m) => ({
        id: m.id,
        role: m.role,
        text: m.text,
        createdAt: m.createdAt.toISOString(),
        ...(Array.isArray(m.quickReplies) ? { quickReplies: m.quickReplies as string[] } : {}),
      })),
    };
  }
}
