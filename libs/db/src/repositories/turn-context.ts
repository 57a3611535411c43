/**
 * What a turn reads when it starts: its pending customer messages and the conversation's context
 * (the statement text and how its rows become objects); TurnRepository sends the statements.
 */
import type { ChannelId, ConversationStatus } from '@parley/contracts';

export interface PendingMessage {
  id: string;
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  seq: number;
  text: string;
  createdAt: Date;
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

export interface PendingRow {
  id: string;
  assistant_id: string;
  conversation_id: string;
  channel: string;
  seq: number;
  text: string;
  created_at: Date;
}

export interface ContextRow {
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
export function contextSelect(beforeSeq: string, window: string): string {
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

export function toPendingMessage(row: PendingRow): PendingMessage {
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

export function toTurnContext(row: ContextRow): TurnContext {
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
