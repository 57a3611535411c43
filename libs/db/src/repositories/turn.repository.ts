import { randomUUID } from 'node:crypto';

import type { ChannelId, ConversationStatus } from '@parley/contracts';

import type { Prisma } from '../database';

export interface PendingMessage {
  id: string;
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  seq: number;
  text: string;
  createdAt: Date;
}

export interface TurnConversation {
  id: string;
  assistantId: string;
  channel: ChannelId;
  status: ConversationStatus;
}

export interface ReplyDraft {
  text: string;
  quickReplies?: string[];
}

export interface CommitTurnInput {
  message: PendingMessage;
  replies: ReplyDraft[];
  intent?: string;
  confidence?: number;
  engine: string;
  timings: Record<string, number>;
  latencyMs: number;
  startedAt: Date;
}

export interface CommittedReply {
  id: string;
  text: string;
  quickReplies?: string[];
}

export type CommitTurnResult =
  | { kind: 'committed'; replies: CommittedReply[]; status: ConversationStatus }
  | { kind: 'already_done' };

/** The orchestrator's view of conversations: pending customer messages and turn commits. */
export class TurnRepository {
  constructor(private readonly prisma: Prisma) {}

  /** The oldest customer message of the conversation whose turn has not run. */
  async nextPending(assistantId: string, conversationId: string): Promise<PendingMessage | null> {
    const row = await this.prisma.message.findFirst({
      where: { assistantId, conversationId, turnStatus: 'pending' },
      orderBy: { seq: 'asc' },
      select: {
        id: true,
        assistantId: true,
        conversationId: true,
        channel: true,
        seq: true,
        text: true,
        createdAt: true,
      },
    });
    return row ? { ...row, channel: row.channel as ChannelId } : null;
  }

  async conversation(
    assistantId: string,
    conversationId: string,
  ): Promise<TurnConversation | null> {
    const row = await this.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: { id: true, assistantId: true, channel: true, status: true },
    });
    return row ? { ...row, channel: row.channel as ChannelId } : null;
  }

  /**
   * Stores the turn's replies and marks the customer message done, atomically and at most once:
   * the replies are inserted only if this statement flips the message from pending to done, so a
   * turn replayed after a crash (or by a process that lost its lease) can never reply twice.
   */
  async commitTurn(input: CommitTurnInput): Promise<CommitTurnResult> {
    if (input.replies.length === 0) throw new Error('a turn must produce at least one reply');
    const replies = input.replies.map((reply, index) => ({
      id: randomUUID(),
      ord: index + 1,
      text: reply.text,
      quick_replies: reply.quickReplies ?? null,
    }));
    const count = replies.length;
    const rows = await this.prisma.$queryRaw<{ id: string; status: ConversationStatus }[]>`
      WITH done AS (
        UPDATE messages
        SET turn_status = 'done'::"TurnStatus", turn_started_at = ${input.startedAt},
            processed_at = ${new Date()}, intent = ${input.intent ?? null},
            confidence = ${input.confidence ?? null}, engine = ${input.engine},
            timings = ${JSON.stringify(input.timings)}::jsonb, latency_ms = ${input.latencyMs}
        WHERE id = ${input.message.id}::uuid AND turn_status = 'pending'::"TurnStatus"
        RETURNING conversation_id),
      conv AS (
        UPDATE conversations c SET last_seq = c.last_seq + ${count}, updated_at = now()
        FROM done WHERE c.id = done.conversation_id
        RETURNING c.id, c.last_seq, c.status)
      INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                            quick_replies, in_reply_to_id, delivery_status, engine, intent)
      SELECT r.id, ${input.message.assistantId}, conv.id, conv.last_seq - ${count} + r.ord::int,
             'assistant'::"MessageRole", ${input.message.channel}, r.text, r.quick_replies,
             ${input.message.id}::uuid, 'queued'::"DeliveryStatus", ${input.engine},
             ${input.intent ?? null}
      FROM conv,
           jsonb_to_recordset(${JSON.stringify(replies)}::jsonb)
             AS r(id uuid, ord int, text text, quick_replies jsonb)
      RETURNING id, (SELECT status FROM conv) AS status`;
    if (rows.length === 0) return { kind: 'already_done' };
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      kind: 'committed',
      status: rows[0]!.status,
      replies: replies
        .filter((reply) => byId.has(reply.id))
        .map((reply) => ({
          id: reply.id,
          text: reply.text,
          ...(reply.quick_replies ? { quickReplies: reply.quick_replies } : {}),
        })),
    };
  }

  /** Conversations with a customer message still pending after `olderThanMs` (sweeper input). */
  async conversationsWithStalePending(
    olderThanMs: number,
    limit: number,
  ): Promise<{ assistantId: string; conversationId: string; channel: ChannelId }[]> {
    const rows = await this.prisma.$queryRaw<
      { assistant_id: string; conversation_id: string; channel: string }[]
    >`
      SELECT DISTINCT assistant_id, conversation_id, channel FROM messages
      WHERE turn_status = 'pending'::"TurnStatus"
        AND created_at < now() - make_interval(secs => ${olderThanMs / 1000})
      LIMIT ${limit}`;
    return rows.map((row) => ({
      assistantId: row.assistant_id,
      conversationId: row.conversation_id,
      channel: row.channel as ChannelId,
    }));
  }
}
