import { createHash, randomUUID } from 'node:crypto';

import type { ChannelId } from '@parley/contracts';

import type { Database } from '../database';

export type HandoffTicketStatus = 'open' | 'claimed' | 'resolved';

export interface Ticket {
  id: string;
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  status: HandoffTicketStatus;
  priority: number;
  reason: string;
  summary: string | null;
  entities: Record<string, string[]>;
  slaDueAt: Date | null;
  createdAt: Date;
  escalations: number;
  notificationRef: string | null;
}

/** What a ticket is opened from: the conversation as the engine left it. */
export interface HandoffContext {
  channel: ChannelId;
  status: string;
  escalationReason: string | null;
  summary: string | null;
  language: string | null;
  /** The last messages, oldest first (masked text). */
  messages: { role: string; text: string }[];
}

export interface OpenTicketInput {
  assistantId: string;
  conversationId: string;
  reason: string;
  priority: number;
  summary: string;
  entities: Record<string, string[]>;
  slaMinutes: number;
  /** The customer's "what happens next" text, given their place in the queue (1 = next). */
  notice: (position: number) => string;
}

export type OpenTicketResult =
  | { kind: 'created'; ticket: Ticket; notice: { id: string; text: string } }
  /** The conversation already has an unresolved ticket: nothing was written. */
  | { kind: 'exists'; ticket: Ticket }
  /** The conversation is not (or no longer) with a person. */
  | { kind: 'not_in_handoff' };

interface TicketRow {
  id: string;
  assistant_id: string;
  conversation_id: string;
  channel: string;
  status: HandoffTicketStatus;
  priority: number;
  reason: string;
  summary: string | null;
  entities: Record<string, string[]>;
  sla_due_at: Date | null;
  created_at: Date;
  escalations: number;
  notification_ref: string | null;
}

const TICKET_COLUMNS = `t.id, t.assistant_id, t.conversation_id, c.channel, t.status::text AS status,
  t.priority, t.reason, t.summary, t.entities, t.sla_due_at, t.created_at, t.escalations,
  t.notification_ref`;

const toTicket = (row: TicketRow): Ticket => ({
  id: row.id,
  assistantId: row.assistant_id,
  conversationId: row.conversation_id,
  channel: row.channel as ChannelId,
  status: row.status,
  priority: row.priority,
  reason: row.reason,
  summary: row.summary,
  entities: row.entities,
  slaDueAt: row.sla_due_at,
  createdAt: row.created_at,
  escalations: row.escalations,
  notificationRef: row.notification_ref,
});

/** Highest ticket priority (1 low, 2 normal, 3 high, 4 urgent). */
export const MAX_TICKET_PRIORITY = 4;

/**
 * Hand-over tickets: at most one unresolved ticket per conversation, opened together with the
 * customer's "what happens next" message, and raised in priority when left unclaimed.
 */
export class TicketRepository {
  constructor(private readonly db: Database) {}

  /** The conversation as a ticket needs it; null when it does not exist. */
  async handoffContext(
    assistantId: string,
    conversationId: string,
    lastMessages: number,
  ): Promise<HandoffContext | null> {
    const conversation = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId },
      select: {
        channel: true,
        status: true,
        escalationReason: true,
        summary: true,
        language: true,
      },
    });
    if (!conversation) return null;
    const messages = await this.db.prisma.message.findMany({
      where: { conversationId, assistantId, role: { in: ['user', 'assistant', 'agent'] } },
      orderBy: { seq: 'desc' },
      take: lastMessages,
      select: { role: true, text: true },
    });
    return {
      channel: conversation.channel as ChannelId,
      status: conversation.status,
      escalationReason: conversation.escalationReason,
      summary: conversation.summary,
      language: conversation.language,
      messages: messages.reverse(),
    };
  }

  /**
   * Opens the conversation's ticket and stores the customer's notice (queued for delivery), in one
   * transaction; a second call finds the first one's ticket. Concurrent calls are serialised by a
   * lock on the conversation, so the check and the INSERT cannot interleave.
   */
  async open(input: OpenTicketInput): Promise<OpenTicketResult> {
    return this.db.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(
        `SELECT pg_advisory_xact_lock(hashtextextended('ticket:' || $1, 0))::text`,
        input.conversationId,
      );
      const existing = await tx.$queryRawUnsafe<TicketRow[]>(
        `SELECT ${TICKET_COLUMNS} FROM handoff_tickets t JOIN conversations c ON c.id = t.conversation_id
         WHERE t.conversation_id = $1::uuid AND t.assistant_id = $2 AND t.status <> 'resolved'
         LIMIT 1`,
        input.conversationId,
        input.assistantId,
      );
      if (existing[0]) return { kind: 'exists' as const, ticket: toTicket(existing[0]) };
      const inserted = await tx.$queryRawUnsafe<TicketRow[]>(
        `WITH t AS (
           INSERT INTO handoff_tickets (id, assistant_id, conversation_id, status, priority, reason,
                                        summary, entities, sla_due_at, created_at)
           SELECT gen_random_uuid(), $2, c.id, 'open', $3, $4, $5, $6::jsonb,
                  clock_timestamp() + make_interval(mins => $7), clock_timestamp()
           FROM conversations c
           WHERE c.id = $1::uuid AND c.assistant_id = $2 AND c.status = 'handoff'
             AND NOT EXISTS (SELECT 1 FROM handoff_tickets x
                             WHERE x.conversation_id = c.id AND x.status <> 'resolved')
           RETURNING *)
         SELECT ${TICKET_COLUMNS} FROM t JOIN conversations c ON c.id = t.conversation_id`,
        input.conversationId,
        input.assistantId,
        input.priority,
        input.reason,
        input.summary,
        JSON.stringify(input.entities),
        input.slaMinutes,
      );
      const row = inserted[0];
      if (!row) return { kind: 'not_in_handoff' as const };
      const ahead = await tx.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM handoff_tickets
         WHERE assistant_id = $1 AND status = 'open' AND created_at < $2 AND id <> $3::uuid`,
        input.assistantId,
        row.created_at,
        row.id,
      );
      const notice = { id: randomUUID(), text: input.notice((ahead[0]?.n ?? 0) + 1) };
      await tx.$queryRawUnsafe(
        `WITH conv AS (UPDATE conversations SET last_seq = last_seq + 1, updated_at = now()
                       WHERE id = $2::uuid RETURNING id, last_seq, channel)
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               delivery_status, created_at)
         SELECT $1::uuid, $3, conv.id, conv.last_seq, 'system', conv.channel, $4, 'queued', now()
         FROM conv RETURNING id::text`,
        notice.id,
        input.conversationId,
        input.assistantId,
        notice.text,
      );
      return { kind: 'created' as const, ticket: toTicket(row), notice };
    });
  }

  async get(assistantId: string, ticketId: string): Promise<Ticket | null> {
    const rows = await this.db.rows<TicketRow>(
      'tickets.get',
      `SELECT ${TICKET_COLUMNS} FROM handoff_tickets t JOIN conversations c ON c.id = t.conversation_id
       WHERE t.id = $1::uuid AND t.assistant_id = $2`,
      [ticketId, assistantId],
    );
    return rows[0] ? toTicket(rows[0]) : null;
  }

  /**
   * Conversations with a person that have no unresolved ticket (a crash between the turn's
   * commit and the ticket's insert), quiet for `olderThanMs` so the hot path is not raced.
   */
  async handoffsWithoutTicket(
    assistantId: string,
    olderThanMs: number,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'tickets.missing',
      `SELECT c.id FROM conversations c
       WHERE c.assistant_id = $1 AND c.status = 'handoff'::"ConversationStatus" AND c.updated_at < $2
         AND NOT EXISTS (SELECT 1 FROM handoff_tickets t
                         WHERE t.conversation_id = c.id AND t.status <> 'resolved'::"TicketStatus")
       ORDER BY c.updated_at LIMIT $3`,
      [assistantId, new Date(Date.now() - olderThanMs), limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Open tickets past their SLA: each is raised one priority step (up to urgent), counts one more
   * escalation, and gets another `slaMinutes`. Returns them as they are now.
   */
  async escalateOverdue(assistantId: string, slaMinutes: number, limit: number): Promise<Ticket[]> {
    const rows = await this.db.rows<TicketRow>(
      'tickets.escalate-overdue',
      `WITH due AS (
         SELECT id FROM handoff_tickets
         WHERE assistant_id = $1 AND status = 'open'::"TicketStatus" AND sla_due_at < now()
         ORDER BY sla_due_at LIMIT $4 FOR UPDATE SKIP LOCKED),
       t AS (
         UPDATE handoff_tickets h SET priority = least(h.priority + 1, $3),
           escalations = h.escalations + 1, sla_due_at = now() + make_interval(mins => $2)
         FROM due WHERE h.id = due.id RETURNING h.*)
       SELECT ${TICKET_COLUMNS} FROM t JOIN conversations c ON c.id = t.conversation_id`,
      [assistantId, slaMinutes, MAX_TICKET_PRIORITY, limit],
    );
    return rows.map(toTicket);
  }

  /** Open tickets created between `from` and `to` ago, for re-sending lost notifications. */
  async recentlyOpened(assistantId: string, fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'tickets.recent',
      `SELECT id FROM handoff_tickets WHERE assistant_id = $1 AND status = 'open'::"TicketStatus"
         AND created_at BETWEEN $2 AND $3 ORDER BY created_at LIMIT 500`,
      [assistantId, new Date(Date.now() - fromMs), new Date(Date.now() - toMs)],
    );
    return rows.map((row) => row.id);
  }

  /** Where the support channel's message is (Slack `channel:ts`), to update it on claim. */
  async setNotificationRef(assistantId: string, ticketId: string, ref: string): Promise<void> {
    await this.db.prisma.handoffTicket.updateMany({
      where: { id: ticketId, assistantId },
      data: { notificationRef: ref },
    });
  }
}

export interface WebhookDeliveryRecord {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  payload: unknown;
  lastError: string | null;
}

/**
 * Outbound webhook deliveries: one row per (ticket, event, escalation), whose id is the delivery
 * id the receiver sees on every retry; `failed` rows are the dead-letter list.
 */
export class WebhookDeliveryRepository {
  constructor(private readonly db: Database) {}

  /** The stable delivery id of a notification: the same on every retry and every replica. */
  static idFor(ticketId: string, event: string, escalation = 0): string {
    const hex = createHash('sha256').update(`${ticketId}|${event}|${escalation}`).digest('hex');
    // RFC 9562 layout, version 8 (custom), variant 10.
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The delivery, created on first use with this payload; later calls return it unchanged. */
  async ensure(input: {
    id: string;
    assistantId: string;
    ticketId: string;
    event: string;
    url: string;
    payload: unknown;
  }): Promise<WebhookDeliveryRecord> {
    await this.db.rows(
      'webhooks.ensure',
      `INSERT INTO webhook_deliveries (id, assistant_id, ticket_id, event, url, payload)
       VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6::jsonb) ON CONFLICT (id) DO NOTHING`,
      [
        input.id,
        input.assistantId,
        input.ticketId,
        input.event,
        input.url,
        JSON.stringify(input.payload),
      ],
    );
    const found = await this.get(input.assistantId, input.id);
    if (!found) throw new Error(`webhook delivery ${input.id} vanished`);
    return found;
  }

  async get(assistantId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    const row = await this.db.prisma.webhookDelivery.findFirst({
      where: { id, assistantId },
      select: { id: true, status: true, attempts: true, payload: true, lastError: true },
    });
    return row;
  }

  /** One attempt's outcome: delivered, or still pending (or `failed` for good) with the error. */
  async recordAttempt(
    assistantId: string,
    id: string,
    outcome: { delivered: true } | { delivered: false; error: string; final: boolean },
  ): Promise<void> {
    await this.db.prisma.webhookDelivery.updateMany({
      where: { id, assistantId, status: 'pending' },
      data: outcome.delivered
        ? {
            attempts: { increment: 1 },
            status: 'delivered',
            deliveredAt: new Date(),
            lastError: null,
          }
        : {
            attempts: { increment: 1 },
            lastError: outcome.error.slice(0, 1_000),
            ...(outcome.final ? { status: 'failed' as const } : {}),
          },
    });
  }

  /** Gives up on a delivery (dead letter), keeping the reason. */
  async markFailed(assistantId: string, id: string, error: string): Promise<void> {
    await this.db.prisma.webhookDelivery.updateMany({
      where: { id, assistantId, status: 'pending' },
      data: { status: 'failed', lastError: error.slice(0, 1_000) },
    });
  }
}
