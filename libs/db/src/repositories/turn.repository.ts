import { randomUUID } from 'node:crypto';

import type { ChannelId, ConversationStatus } from '@parley/contracts';

import { Batcher } from '../batcher';
import type { Database } from '../database';

import {
  contextSelect,
  toPendingMessage,
  toTurnContext,
  type ContextRow,
  type PendingMessage,
  type PendingRow,
  type TurnContext,
} from './turn-context';

export interface ReplyDraft {
  text: string;
  quickReplies?: string[];
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
  private readonly commits = new Batcher<CommitRow, CommitOutcome>((_, turns) =>
    this.commitNow(turns),
  );

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
   * Turns committed while another commit is being written go together in the next statement,
   * each all or nothing as if alone (see Batcher).
   */
  async commitTurn(input: CommitTurnInput): Promise<CommitTurnResult> {
    const replies = input.replies.map((reply, index) => ({
      id: randomUUID(),
      ord: index + 1,
      text: reply.text,
      quick_replies: reply.quickReplies ?? null,
    }));
    const row: CommitRow = {
      message_id: input.message.id,
      conversation_id: input.message.conversationId,
      assistant_id: input.message.assistantId,
      channel: input.message.channel,
      started_at: input.startedAt.toISOString(),
      processed_at: new Date().toISOString(),
      intent: input.intent ?? null,
      confidence: input.confidence ?? null,
      engine: input.engine,
      timings: input.timings,
      latency_ms: input.latencyMs,
      tokens_in: input.usage?.tokensIn ?? null,
      tokens_out: input.usage?.tokensOut ?? null,
      cost_usd: input.usage?.costUsd ?? null,
      reply_count: replies.length,
      replies,
      // As JSON text: null keeps the conversation's state, 'null' replaces it with null.
      state: input.state === undefined ? null : JSON.stringify(input.state),
      status: input.status ?? null,
      escalation_reason: input.escalationReason ?? null,
      summary: input.summary ?? null,
      language: input.language ?? null,
      outcome: input.outcome ?? null,
      facts: input.facts ?? [],
      rating: input.rating ?? null,
    };
    const result = await this.commits.call('', row);
    // No status means `done` matched nothing: the turn was committed before.
    if (!result.status) return { kind: 'already_done' };
    const stored = new Set(result.ids ?? []);
    return {
      kind: 'committed',
      status: result.status,
      replies: replies
        .filter((reply) => stored.has(reply.id))
        .map((reply) => ({
          id: reply.id,
          text: reply.text,
          ...(reply.quick_replies ? { quickReplies: reply.quick_replies } : {}),
        })),
    };
  }

  /** Commits turns of distinct conversations in one statement; answers each in order. */
  private async commitNow(turns: CommitRow[]): Promise<CommitOutcome[]> {
    // One conversation twice would be updated once: the Batcher then commits each alone.
    if (new Set(turns.map((turn) => turn.conversation_id)).size !== turns.length) {
      throw new Error('two turns of one conversation in one commit');
    }
    const rows = await this.db.rows<CommitOutcome & { ord: number }>(
      'turns.commit',
      `WITH done AS (
         UPDATE messages m
         SET turn_status = 'done'::"TurnStatus", turn_started_at = t.started_at,
             processed_at = t.processed_at, intent = t.intent, confidence = t.confidence,
             engine = t.engine, timings = t.timings, latency_ms = t.latency_ms,
             tokens_in = t.tokens_in, tokens_out = t.tokens_out, cost_usd = t.cost_usd
         FROM json_to_recordset($1::json) AS t(ord int,
           message_id uuid, conversation_id uuid, assistant_id text, channel text,
           started_at timestamptz, processed_at timestamptz, intent text, confidence float8,
           engine text, timings jsonb, latency_ms int, tokens_in int, tokens_out int,
           cost_usd numeric, reply_count int, replies jsonb, state text, status text,
           escalation_reason text, summary text, language text, outcome text, facts jsonb,
           rating int)
         -- The arrays bound the lookup whichever index and join the planner picks (backlog.spec).
         WHERE m.id = ANY($2::uuid[]) AND m.conversation_id = ANY($3::uuid[])
           AND m.id = t.message_id AND m.conversation_id = t.conversation_id
           AND m.turn_status = 'pending'::"TurnStatus"
         RETURNING t.*),
       -- Each CTE passes on what the next needs: the turns are read once.
       conv AS (
         UPDATE conversations c SET last_seq = c.last_seq + done.reply_count, updated_at = now(),
           state = coalesce(done.state::jsonb, c.state),
           status = coalesce(done.status::"ConversationStatus", c.status),
           escalation_reason = coalesce(done.escalation_reason, c.escalation_reason),
           summary = coalesce(done.summary, c.summary),
           language = coalesce(done.language, c.language),
           outcome = coalesce(done.outcome, c.outcome),
           tokens_in = c.tokens_in + coalesce(done.tokens_in, 0),
           tokens_out = c.tokens_out + coalesce(done.tokens_out, 0),
           cost_usd = c.cost_usd + coalesce(done.cost_usd, 0),
           csat = coalesce(done.rating, c.csat)
         FROM done
         WHERE c.id = done.conversation_id
         RETURNING done.ord, done.message_id, done.assistant_id, done.channel, done.engine,
                   done.intent, done.reply_count, done.replies, done.facts, done.rating, c.id,
                   c.last_seq, c.status, c.customer_id),
       facts AS (
         INSERT INTO profile_facts (id, assistant_id, customer_id, key, value, source_message_id,
                                    updated_at)
         SELECT gen_random_uuid(), conv.assistant_id, conv.customer_id, f.key, f.value,
                conv.message_id, now()
         FROM conv, jsonb_to_recordset(conv.facts) AS f(key text, value text)),
       rated AS (
         INSERT INTO feedback (id, assistant_id, conversation_id, message_id, rating)
         SELECT gen_random_uuid(), conv.assistant_id, conv.id, conv.message_id, conv.rating
         FROM conv WHERE conv.rating IS NOT NULL),
       inserted AS (
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               quick_replies, in_reply_to_id, delivery_status, engine, intent)
         SELECT r.id, conv.assistant_id, conv.id, conv.last_seq - conv.reply_count + r.ord,
                'assistant'::"MessageRole", conv.channel, r.text, r.quick_replies,
                conv.message_id, 'queued'::"DeliveryStatus", conv.engine, conv.intent
         FROM conv,
              jsonb_to_recordset(conv.replies) AS r(id uuid, ord int, text text, quick_replies jsonb)
         RETURNING id, in_reply_to_id)
       -- A turn missing here matched no pending message: it was committed before.
       SELECT conv.ord, conv.status,
              (SELECT array_agg(i.id) FROM inserted i WHERE i.in_reply_to_id = conv.message_id) AS ids
       FROM conv`,
      [
        JSON.stringify(turns.map((turn, i) => ({ ord: i + 1, ...turn }))),
        turns.map((turn) => turn.message_id),
        turns.map((turn) => turn.conversation_id),
      ],
    );
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    return turns.map((_, i) => {
      const row = byOrd.get(i + 1);
      return { ids: row?.ids ?? null, status: row?.status ?? null };
    });
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

/** One turn's commit as the statement reads it (jsonb_to_recordset: names are the columns'). */
interface CommitRow {
  message_id: string;
  conversation_id: string;
  assistant_id: string;
  channel: string;
  started_at: string;
  processed_at: string;
  intent: string | null;
  confidence: number | null;
  engine: string;
  timings: Record<string, number>;
  latency_ms: number;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
  reply_count: number;
  replies: { id: string; ord: number; text: string; quick_replies: string[] | null }[];
  state: string | null;
  status: ConversationStatus | null;
  escalation_reason: string | null;
  summary: string | null;
  language: string | null;
  outcome: string | null;
  facts: { key: string; value: string }[];
  rating: number | null;
}

/** A turn's commit: its reply ids, and the conversation's status (null: committed before). */
interface CommitOutcome {
  ids: string[] | null;
  status: ConversationStatus | null;
}
