import type { Database } from '../database';

/** A conversation whose customer rated the help 1 or 2, for someone to read. */
export interface LowRatedConversation {
  conversationId: string;
  channel: string;
  /** The lowest rating the customer gave in it. */
  rating: number;
  ratedAt: Date;
  startedAt: Date;
  escalationReason: string | null;
  /** The customer's last message before rating (masked text, at most 200 characters). */
  lastCustomerMessage: string | null;
  /** The latest hand-over ticket of the conversation, for its transcript in the console. */
  ticketId: string | null;
}

export interface SearchHit {
  conversationId: string;
  messageId: string;
  role: string;
  text: string;
  createdAt: Date;
  ticketId: string | null;
}

/** `%` and `_` are literal in a search: the agent types text, not a pattern. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Finding conversations for someone to read: the low-rated ones flagged for review (the
 * dashboard) and transcript search (the console). Always within one assistant.
 */
export class ReviewRepository {
  constructor(private readonly db: Database) {}

  /**
   * Conversations rated 1 or 2, most recently rated first: from the feedback rows (every CSAT
   * answer writes one), and any conversation whose CSAT is low without one.
   */
  async lowRated(filter: { assistantId: string; limit: number }): Promise<LowRatedConversation[]> {
    const rows = await this.db.rows<{
      id: string;
      channel: string;
      rating: number;
      rated_at: Date;
      created_at: Date;
      escalation_reason: string | null;
      last_customer_message: string | null;
      ticket_id: string | null;
    }>(
      'analytics.low-rated',
      `WITH flagged AS (
         SELECT f.conversation_id, min(f.rating) AS rating, max(f.created_at) AS rated_at
         FROM feedback f WHERE f.assistant_id = $1 AND f.rating <= 2
         GROUP BY f.conversation_id
         UNION ALL
         SELECT c.id, c.csat, c.updated_at FROM conversations c
         WHERE c.assistant_id = $1 AND c.csat <= 2 AND NOT EXISTS (
           SELECT 1 FROM feedback f
           WHERE f.conversation_id = c.id AND f.assistant_id = $1 AND f.rating <= 2)),
       latest AS (SELECT * FROM flagged ORDER BY rated_at DESC LIMIT $2)
       SELECT c.id, c.channel, latest.rating::int AS rating, latest.rated_at, c.created_at,
         c.escalation_reason,
         (SELECT left(m.text, 200) FROM messages m
          WHERE m.conversation_id = c.id AND m.role = 'user'::"MessageRole"
            AND m.intent IS DISTINCT FROM 'csat'
          ORDER BY m.seq DESC LIMIT 1) AS last_customer_message,
         (SELECT t.id FROM handoff_tickets t
          WHERE t.conversation_id = c.id AND t.assistant_id = $1
          ORDER BY t.created_at DESC LIMIT 1) AS ticket_id
       FROM latest JOIN conversations c ON c.id = latest.conversation_id AND c.assistant_id = $1
       ORDER BY latest.rated_at DESC`,
      [filter.assistantId, filter.limit],
    );
    return rows.map((row) => ({
      conversationId: row.id,
      channel: row.channel,
      rating: row.rating,
      ratedAt: row.rated_at,
      startedAt: row.created_at,
      escalationReason: row.escalation_reason,
      lastCustomerMessage: row.last_customer_message,
      ticketId: row.ticket_id,
    }));
  }

  /** Transcript search over masked text in the assistant's conversations, newest first. */
  async search(assistantId: string, text: string, limit = 50): Promise<SearchHit[]> {
    const rows = await this.db.rows<{
      conversation_id: string;
      message_id: string;
      role: string;
      text: string;
      created_at: Date;
      ticket_id: string | null;
    }>(
      'console.search',
      `SELECT m.conversation_id, m.id AS message_id, m.role::text AS role, m.text, m.created_at,
              (SELECT t.id FROM handoff_tickets t WHERE t.conversation_id = m.conversation_id
               AND t.assistant_id = $1 ORDER BY t.created_at DESC LIMIT 1) AS ticket_id
       FROM messages m
       WHERE m.assistant_id = $1 AND m.text ILIKE $2 AND m.role <> 'tool'::"MessageRole"
       ORDER BY m.created_at DESC
       LIMIT $3`,
      [assistantId, likePattern(text), limit],
    );
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      messageId: row.message_id,
      role: row.role,
      text: row.text,
      createdAt: row.created_at,
      ticketId: row.ticket_id,
    }));
  }
}
