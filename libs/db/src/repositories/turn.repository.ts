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

/** What the engine knows when a turn starts: the conversation so far and the customer. */
export interface TurnContext {
  status: ConversationStatus;
  /** The engine's own state from the previous turn (null on the first). */
  state: unknown;
  summary: string | null;
  language: string | null;
  customerId: string;
  /** The channel vouched for the customer (web: signed userHash); see ChannelIdentity.verified. */
  verified: boolean;
  /** The last messages before this one, oldest first (masked text). */
  history: { seq: number; role: 'user' | 'assistant'; text: string; intent: string | null }[];
  /** Facts learned about the customer, oldest first; a later fact of a key supersedes. */
  facts: { key: string; value: string; sourceMessageId: string | null }[];
  /** The customer's most recent other conversation that has a summary. */
  previous: { id: string; summary: string; outcome: string | null; updatedAt: string } | null;
  /** Model use of this conversation before this turn (cost of priced models only). */
  usage: { tokens: number; costUsd: number };
}

export interface CommitTurnInput {
  message: PendingMessage;
  /** May be empty: a conversation in handoff records the message and stays silent. */
  replies: ReplyDraft[];
  /** New dialogue state (undefined keeps the old one). */
  state?: unknown;
  status?: ConversationStatus;
  escalationReason?: string;
  summary?: string;
  language?: string;
  outcome?: string;
  /** Facts learned from this message. */
  facts?: { key: string; value: string }[];
  intent?: string;
  confidence?: number;
  engine: string;
  /** Model use of this turn, when a model took part (cost null: the model has no price). */
  usage?: { tokensIn: number; tokensOut: number; costUsd: number | null };
  /** The customer's 1–5 rating of a person's help: the conversation's CSAT, and a feedback row. */
  rating?: number;
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

  /**
   * The conversation's customer messages whose turn has not run, oldest first, and the context the
   * first one's turn starts from: the usual turn (one message waiting) needs one round trip.
   * Later messages of the batch need `context` again, after the turns before them are committed.
   */
  async nextTurns(
    assistantId: string,
    conversationId: string,
    historyWindow: number,
    limit = 20,
  ): Promise<{ messages: PendingMessage[]; context: TurnContext | null }> {
    const rows = await this.db.rows<PendingRow & Partial<ContextRow>>(
      'turns.next',
      `WITH pending AS MATERIALIZED (
         SELECT id, assistant_id, conversation_id, channel, seq, text, created_at FROM messages
         WHERE conversation_id = $1::uuid AND assistant_id = $2
           AND turn_status = 'pending'::"TurnStatus"
         ORDER BY seq LIMIT $3),
       context AS MATERIALIZED (${contextSelect('(SELECT min(seq) FROM pending)', '$4')})
       SELECT pending.*, context.* FROM pending LEFT JOIN context ON true ORDER BY pending.seq`,
      [conversationId, assistantId, limit, historyWindow],
    );
    const first = rows[0];
    return {
      messages: rows.map(toPendingMessage),
      context: first?.status ? toTurnContext(first as ContextRow) : null,
    };
  }

  /** The conversation as the turn for `message` sees it, in one round trip. */
  async context(message: PendingMessage, historyWindow: number): Promise<TurnContext | null> {
    const rows = await this.db.rows<ContextRow>('turns.context', contextSelect('$3', '$4'), [
      message.conversationId,
      message.assistantId,
      message.seq,
      historyWindow,
    ]);
    return rows[0] ? toTurnContext(rows[0]) : null;
  }

  /**
   * Stores the turn's replies and marks the customer message done, atomically and at most once:
   * the replies are inserted only if this statement flips the message from pending to done, so a
   * turn replayed after a crash (or by a process that lost its lease) can never reply twice.
   */
  async commitTurn(input: CommitTurnInput): Promise<CommitTurnResult> {
    const replies = input.replies.map((reply, index) => ({
      id: randomUUID(),
      ord: index + 1,
      text: reply.text,
      quick_replies: reply.quickReplies ?? null,
    }));
    const count = replies.length;
    const rows = await this.db.rows<{ ids: string[] | null; status: ConversationStatus | null }>(
      'turns.commit',
      `WITH done AS (
         UPDATE messages
         SET turn_status = 'done'::"TurnStatus", turn_started_at = $2, processed_at = $3,
             intent = $4, confidence = $5, engine = $6, timings = $7::jsonb, latency_ms = $8,
             tokens_in = $20, tokens_out = $21, cost_usd = $22
         -- The conversation bounds the lookup whichever index the planner picks (backlog.spec).
         WHERE id = $1::uuid AND conversation_id = $24::uuid AND turn_status = 'pending'::"TurnStatus"
         RETURNING conversation_id),
       conv AS (
         UPDATE conversations c SET last_seq = c.last_seq + $9, updated_at = now(),
           state = coalesce($13::jsonb, c.state),
           status = coalesce($14::"ConversationStatus", c.status),
           escalation_reason = coalesce($15, c.escalation_reason),
           summary = coalesce($16, c.summary),
           language = coalesce($17, c.language),
           outcome = coalesce($18, c.outcome),
           tokens_in = c.tokens_in + coalesce($20, 0),
           tokens_out = c.tokens_out + coalesce($21, 0),
           cost_usd = c.cost_usd + coalesce($22, 0),
           csat = coalesce($23::int, c.csat)
         FROM done WHERE c.id = done.conversation_id
         RETURNING c.id, c.last_seq, c.status, c.customer_id),
       facts AS (
         INSERT INTO profile_facts (id, assistant_id, customer_id, key, value, source_message_id,
                                    updated_at)
         SELECT gen_random_uuid(), $10, conv.customer_id, f.key, f.value, $1::uuid, now()
         FROM conv, jsonb_to_recordset($19::jsonb) AS f(key text, value text)),
       rated AS (
         INSERT INTO feedback (id, assistant_id, conversation_id, message_id, rating)
         SELECT gen_random_uuid(), $10, conv.id, $1::uuid, $23::int FROM conv WHERE $23::int IS NOT NULL),
       inserted AS (
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               quick_replies, in_reply_to_id, delivery_status, engine, intent)
         SELECT r.id, $10, conv.id, conv.last_seq - $9 + r.ord, 'assistant'::"MessageRole", $11,
                r.text, r.quick_replies, $1::uuid, 'queued'::"DeliveryStatus", $6, $4
         FROM conv,
              jsonb_to_recordset($12::jsonb) AS r(id uuid, ord int, text text, quick_replies jsonb)
         RETURNING id)
       SELECT (SELECT array_agg(id) FROM inserted) AS ids, (SELECT status FROM conv) AS status`,
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
        input.state === undefined ? null : JSON.stringify(input.state),
        input.status ?? null,
        input.escalationReason ?? null,
        input.summary ?? null,
        input.language ?? null,
        input.outcome ?? null,
        JSON.stringify(input.facts ?? []),
        input.usage?.tokensIn ?? null,
        input.usage?.tokensOut ?? null,
        input.usage?.costUsd ?? null,
        input.rating ?? null,
        input.message.conversationId,
      ],
    );
    const row = rows[0];
    // No status means `done` matched nothing: the turn was committed before.
    if (!row?.status) return { kind: 'already_done' };
    const stored = new Set(row.ids ?? []);
    return {
      kind: 'committed',
      status: row.status,
      replies: replies
        .filter((reply) => stored.has(reply.id))
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
      // The role selects the sweeper's own index (migration sweeper_only_indexes).
      `SELECT DISTINCT assistant_id, conversation_id, channel FROM messages
       WHERE turn_status = 'pending'::"TurnStatus" AND role = 'user'::"MessageRole" AND created_at < $1
       LIMIT $2`,
      [new Date(Date.now() - olderThanMs), limit],
    );
    return rows.map((row) => ({
      assistantId: row.assistant_id,
      conversationId: row.conversation_id,
      channel: row.channel as ChannelId,
    }));
  }

  /**
   * Closes conversations the bot has that nobody wrote in for `idleMinutes`, oldest first, at
   * most `limit`; returns how many. A conversation with a turn still to run stays open, and one
   * a message is being added to right now is skipped (its row is locked) and is no longer idle.
   * Closing frees its open key, so the customer's next message starts a new conversation, and
   * the closed one (with its summary) is what a returning customer is reminded of.
   */
  async closeIdle(idleMinutes: number, limit: number): Promise<number> {
    const rows = await this.db.rows<{ id: string }>(
      'turns.close-idle',
      `WITH idle AS (
         SELECT c.id FROM assistants a
         JOIN conversations c ON c.assistant_id = a.id AND c.status = 'bot'::"ConversationStatus"
         WHERE c.updated_at < now() - make_interval(mins => $1)
           AND NOT EXISTS (SELECT 1 FROM messages m
                           WHERE m.conversation_id = c.id AND m.turn_status = 'pending'::"TurnStatus")
         ORDER BY c.updated_at
         LIMIT $2
         FOR UPDATE OF c SKIP LOCKED)
       UPDATE conversations c
       SET status = 'closed'::"ConversationStatus", open_key = NULL, closed_at = now(),
           updated_at = now()
       FROM idle WHERE c.id = idle.id
       RETURNING c.id`,
      [idleMinutes, limit],
    );
    return rows.length;
  }
}

interface PendingRow {
  id: string;
  assistant_id: string;
  conversation_id: string;
  channel: string;
  seq: number;
  text: string;
  created_at: Date;
}

interface ContextRow {
  status: ConversationStatus;
  state: unknown;
  summary: string | null;
  language: string | null;
  customer_id: string;
  verified: boolean;
  history: TurnContext['history'];
  facts: TurnContext['facts'];
  previous: TurnContext['previous'];
  tokens: number;
  cost_usd: string;
}

/**
 * The context of a turn in conversation $1 of assistant $2: the conversation, the customer, and
 * the `window` messages before sequence number `beforeSeq` (SQL expressions).
 */
function contextSelect(beforeSeq: string, window: string): string {
  return `SELECT c.status, c.state, c.summary, c.language, c.customer_id,
         c.tokens_in + c.tokens_out AS tokens, c.cost_usd,
         coalesce((SELECT i.verified FROM channel_identities i
                   WHERE i.id = c.channel_identity_id), false) AS verified,
         (SELECT coalesce(json_agg(h ORDER BY h.seq), '[]'::json) FROM (
            SELECT m.seq, m.role, m.text, m.intent FROM messages m
            WHERE m.conversation_id = c.id AND m.seq < ${beforeSeq}
            ORDER BY m.seq DESC LIMIT ${window}) h) AS history,
         (SELECT coalesce(json_agg(json_build_object('key', f.key, 'value', f.value,
                   'sourceMessageId', f.source_message_id) ORDER BY f.updated_at), '[]'::json)
            FROM profile_facts f
            WHERE f.customer_id = c.customer_id AND f.assistant_id = c.assistant_id) AS facts,
         (SELECT json_build_object('id', p.id, 'summary', p.summary, 'outcome', p.outcome,
                   'updatedAt', p.updated_at)
            FROM conversations p
            WHERE p.customer_id = c.customer_id AND p.assistant_id = c.assistant_id
              AND p.id <> c.id AND p.summary IS NOT NULL
            ORDER BY p.updated_at DESC LIMIT 1) AS previous
       FROM conversations c WHERE c.id = $1::uuid AND c.assistant_id = $2`;
}

function toPendingMessage(row: PendingRow): PendingMessage {
  return {
    id: row.id,
    assistantId: row.assistant_id,
    conversationId: row.conversation_id,
    channel: row.channel as ChannelId,
    seq: row.seq,
    text: row.text,
    createdAt: row.created_at,
  };
}

function toTurnContext(row: ContextRow): TurnContext {
  return {
    status: row.status,
    state: row.state,
    summary: row.summary,
    language: row.language,
    customerId: row.customer_id,
    verified: row.verified,
    history: row.history,
    facts: row.facts,
    previous: row.previous,
    usage: { tokens: row.tokens, costUsd: Number(row.cost_usd) },
  };
}
