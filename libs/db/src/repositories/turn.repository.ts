import { randomUUID } from 'node:crypto';

import type { ChannelId, ConversationStatus } from '@parley/contracts';

import type { Database } from '../database';

export interface PendingMessage {
  id: string;
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  seq: number;
  text: string;
  createdAt: Date;
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
  constructor(private readonly db: Database) {}

  /** The conversation's customer messages whose turn has not run, oldest first. */
  async pending(
    assistantId: string,
    conversationId: string,
    limit = 20,
  ): Promise<PendingMessage[]> {
    const rows = await this.db.rows<{
      id: string;
      assistant_id: string;
      conversation_id: string;
      channel: string;
      seq: number;
      text: string;
      created_at: Date;
    }>(
      'turns.pending',
      `SELECT id, assistant_id, conversation_id, channel, seq, text, created_at FROM messages
       WHERE conversation_id = $1::uuid AND assistant_id = $2 AND turn_status = 'pending'::"TurnStatus"
       ORDER BY seq LIMIT $3`,
      [conversationId, assistantId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      assistantId: row.assistant_id,
      conversationId: row.conversation_id,
      channel: row.channel as ChannelId,
      seq: row.seq,
      text: row.text,
      createdAt: row.created_at,
    }));
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
    const rows = await this.db.rows<{ id: string; status: ConversationStatus }>(
      'turns.commit',
      `WITH done AS (
         UPDATE messages
         SET turn_status = 'done'::"TurnStatus", turn_started_at = $2, processed_at = $3,
             intent = $4, confidence = $5, engine = $6, timings = $7::jsonb, latency_ms = $8
         WHERE id = $1::uuid AND turn_status = 'pending'::"TurnStatus"
         RETURNING conversation_id),
       conv AS (
         UPDATE conversations c SET last_seq = c.last_seq + $9, updated_at = now()
         FROM done WHERE c.id = done.conversation_id
         RETURNING c.id, c.last_seq, c.status)
       INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                             quick_replies, in_reply_to_id, delivery_status, engine, intent)
       SELECT r.id, $10, conv.id, conv.last_seq - $9 + r.ord, 'assistant'::"MessageRole", $11,
              r.text, r.quick_replies, $1::uuid, 'queued'::"DeliveryStatus", $6, $4
       FROM conv,
            jsonb_to_recordset($12::jsonb) AS r(id uuid, ord int, text text, quick_replies jsonb)
       RETURNING id, (SELECT status FROM conv) AS status`,
      [
        input.message.id,
        input.startedAt,
        new Date(),
        input.intent ?? null,
        input.confidence ?? null,
        input.engine,
        JSON.stringify(input.timings),
        input.latencyMs,
        count,
        input.message.assistantId,
        input.message.channel,
        JSON.stringify(replies),
      ],
    );
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
    const rows = await this.db.rows<{
      assistant_id: string;
      conversation_id: string;
      channel: string;
    }>(
      'turns.stale-pending',
      `SELECT DISTINCT assistant_id, conversation_id, channel FROM messages
       WHERE turn_status = 'pending'::"TurnStatus" AND created_at < $1
       LIMIT $2`,
      [new Date(Date.now() - olderThanMs), limit],
    );
    return rows.map((row) => ({
      assistantId: row.assistant_id,
      conversationId: row.conversation_id,
      channel: row.channel as ChannelId,
    }));
  }
}
