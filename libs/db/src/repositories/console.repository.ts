import { randomUUID } from 'node:crypto';

import type { ChannelId, ConversationStatus } from '@parley/contracts';

import type { Database } from '../database';

export type TicketStatus = 'open' | 'claimed' | 'resolved';

export interface InboxFilters {
  status?: TicketStatus;
  priority?: number;
  /** `me`: assigned to `agentId`; `unassigned`: nobody's; absent: any. */
  assigned?: 'me' | 'unassigned';
  /** Matched against the ticket's reason and summary. */
  q?: string;
}

export interface InboxTicket {
  id: string;
  conversationId: string;
  channel: string;
  status: TicketStatus;
  priority: number;
  reason: string;
  summary: string | null;
  assignedAgentId: string | null;
  assignedAgentName: string | null;
  slaDueAt: Date | null;
  createdAt: Date;
  claimedAt: Date | null;
  resolvedAt: Date | null;
  escalations: number;
}

export interface ConsoleMessage {
  id: string;
  seq: number;
  role: 'user' | 'assistant' | 'agent' | 'system' | 'tool';
  text: string;
  quickReplies: string[] | null;
  deliveryStatus: string | null;
  createdAt: Date;
}

export interface TicketNoteView {
  id: string;
  text: string;
  agentId: string | null;
  agentName: string | null;
  createdAt: Date;
}

export interface TicketConversation {
  id: string;
  channel: ChannelId;
  status: ConversationStatus;
}

export type ClaimOutcome = 'claimed' | 'not_found' | 'taken' | 'resolved';

export interface StoredReply {
  id: string;
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  status: ConversationStatus;
}

/**
 * What the support console reads and writes about hand-overs: tickets, notes, agent messages and
 * search (agents and sessions: AgentRepository). Every method takes the agent's assistant id.
 */
export class ConsoleRepository {
  constructor(private readonly db: Database) {}

  /** The inbox: most urgent first (priority 4 urgent … 1 low), then oldest waiting first. */
  async inbox(
    assistantId: string,
    agentId: string,
    filters: InboxFilters,
    limit = 200,
  ): Promise<InboxTicket[]> {
    const rows = await this.db.prisma.handoffTicket.findMany({
      where: {
        assistantId,
        ...(filters.status ? { status: filters.status } : { status: { not: 'resolved' } }),
        ...(filters.priority !== undefined ? { priority: filters.priority } : {}),
        ...(filters.assigned === 'me' ? { assignedAgentId: agentId } : {}),
        ...(filters.assigned === 'unassigned' ? { assignedAgentId: null } : {}),
        ...(filters.q
          ? {
              OR: [
                { reason: { contains: filters.q, mode: 'insensitive' as const } },
                { summary: { contains: filters.q, mode: 'insensitive' as const } },
              ],
            }
          : {}),
      },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }],
      take: limit,
      include: {
        conversation: { select: { channel: true } },
        assignedAgent: { select: { name: true } },
      },
    });
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      channel: row.conversation.channel,
      status: row.status,
      priority: row.priority,
      reason: row.reason,
      summary: row.summary,
      assignedAgentId: row.assignedAgentId,
      assignedAgentName: row.assignedAgent?.name ?? null,
      slaDueAt: row.slaDueAt,
      createdAt: row.createdAt,
      claimedAt: row.claimedAt,
      resolvedAt: row.resolvedAt,
      escalations: row.escalations,
    }));
  }

  async ticket(
    assistantId: string,
    id: string,
  ): Promise<(InboxTicket & { entities: unknown; conversation: TicketConversation }) | null> {
    const row = await this.db.prisma.handoffTicket.findFirst({
      where: { id, assistantId },
      include: {
        conversation: { select: { id: true, channel: true, status: true } },
        assignedAgent: { select: { name: true } },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      conversationId: row.conversationId,
      channel: row.conversation.channel,
      status: row.status,
      priority: row.priority,
      reason: row.reason,
      summary: row.summary,
      entities: row.entities,
      assignedAgentId: row.assignedAgentId,
      assignedAgentName: row.assignedAgent?.name ?? null,
      slaDueAt: row.slaDueAt,
      createdAt: row.createdAt,
      claimedAt: row.claimedAt,
      resolvedAt: row.resolvedAt,
      escalations: row.escalations,
      conversation: {
        id: row.conversation.id,
        channel: row.conversation.channel as ChannelId,
        status: row.conversation.status,
      },
    };
  }

  /** Messages of a conversation after `afterSeq`, in order. */
  async messages(
    assistantId: string,
    conversationId: string,
    afterSeq = 0,
    limit = 500,
  ): Promise<ConsoleMessage[]> {
    const rows = await this.db.prisma.message.findMany({
      where: { assistantId, conversationId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: {
        id: true,
        seq: true,
        role: true,
        text: true,
        quickReplies: true,
        deliveryStatus: true,
        createdAt: true,
      },
    });
    return rows.map((row) => ({
      ...row,
      quickReplies: Array.isArray(row.quickReplies) ? (row.quickReplies as string[]) : null,
    }));
  }

  async notes(assistantId: string, ticketId: string): Promise<TicketNoteView[]> {
    const rows = await this.db.prisma.ticketNote.findMany({
      where: { assistantId, ticketId },
      orderBy: { createdAt: 'asc' },
      include: { agent: { select: { name: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      text: row.text,
      agentId: row.agentId,
      agentName: row.agent?.name ?? null,
      createdAt: row.createdAt,
    }));
  }

  /**
   * Claims atomically: one UPDATE whose condition is re-checked under the row lock, so of two
   * agents claiming at once exactly one wins. Claiming a ticket one already has is a no-op.
   */
  async claim(assistantId: string, ticketId: string, agentId: string): Promise<ClaimOutcome> {
    const rows = await this.db.rows<{ id: string }>(
      'console.claim',
      `UPDATE handoff_tickets
       SET status = 'claimed'::"TicketStatus", assigned_agent_id = $3::uuid,
           claimed_at = coalesce(claimed_at, now())
       WHERE id = $1::uuid AND assistant_id = $2
         AND (status = 'open'::"TicketStatus"
              OR (status = 'claimed'::"TicketStatus" AND assigned_agent_id = $3::uuid))
       RETURNING id`,
      [ticketId, assistantId, agentId],
    );
    if (rows.length > 0) return 'claimed';
    return this.whyNot(assistantId, ticketId);
  }

  /** An admin's assignment: any unresolved ticket, to an enabled agent of the same assistant. */
  async assign(assistantId: string, ticketId: string, agentId: string): Promise<ClaimOutcome> {
    const rows = await this.db.rows<{ id: string }>(
      'console.assign',
      `UPDATE handoff_tickets
       SET status = 'claimed'::"TicketStatus", assigned_agent_id = $3::uuid,
           claimed_at = coalesce(claimed_at, now())
       WHERE id = $1::uuid AND assistant_id = $2 AND status <> 'resolved'::"TicketStatus"
         AND EXISTS (SELECT 1 FROM agents a WHERE a.id = $3::uuid AND a.assistant_id = $2
                     AND a.disabled_at IS NULL)
       RETURNING id`,
      [ticketId, assistantId, agentId],
    );
    if (rows.length > 0) return 'claimed';
    return this.whyNot(assistantId, ticketId);
  }

  private async whyNot(assistantId: string, ticketId: string): Promise<ClaimOutcome> {
    const ticket = await this.db.prisma.handoffTicket.findFirst({
      where: { id: ticketId, assistantId },
      select: { status: true },
    });
    if (!ticket) return 'not_found';
    return ticket.status === 'resolved' ? 'resolved' : 'taken';
  }

  async addNote(assistantId: string, ticketId: string, agentId: string, text: string) {
    return this.db.prisma.ticketNote.create({
      data: { assistantId, ticketId, agentId, text },
      select: { id: true, text: true, agentId: true, createdAt: true },
    });
  }

  /**
   * Stores messages to the customer (an agent's reply in one or more parts, or a system notice),
   * queued for delivery, in one statement: consecutive sequence numbers allocated under the
   * conversation's row lock, all of them stored or none.
   */
  async appendOutgoing(
    assistantId: string,
    conversationId: string,
    messages: readonly { role: 'agent' | 'system'; text: string; quickReplies?: string[] }[],
  ): Promise<StoredReply[] | null> {
    const ids = messages.map(() => randomUUID());
    const rows = await this.db.rows<{ channel: ChannelId; status: ConversationStatus }>(
      'console.append-outgoing',
      `WITH conv AS (
         UPDATE conversations
         SET last_seq = last_seq + cardinality($3::uuid[]), updated_at = now()
         WHERE id = $1::uuid AND assistant_id = $2
         RETURNING id, last_seq - cardinality($3::uuid[]) AS first_seq, channel, status)
       INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                             quick_replies, delivery_status)
       SELECT m.id, $2, conv.id, conv.first_seq + m.n, m.role::"MessageRole", conv.channel,
              m.text, m.quick_replies, 'queued'::"DeliveryStatus"
       FROM conv,
            unnest($3::uuid[], $4::text[], $5::text[], $6::jsonb[])
              WITH ORDINALITY AS m(id, role, text, quick_replies, n)
       RETURNING channel, (SELECT status FROM conv) AS status`,
      [
        conversationId,
        assistantId,
        ids,
        messages.map((m) => m.role),
        messages.map((m) => m.text),
        messages.map((m) => (m.quickReplies ? JSON.stringify(m.quickReplies) : null)),
      ],
    );
    const row = rows[0];
    return row
      ? ids.map((id) => ({
          id,
          assistantId,
          conversationId,
          channel: row.channel,
          status: row.status,
        }))
      : null;
  }

  /**
   * Resolves the ticket and hands the conversation back to the bot with a notice to the customer,
   * in one statement: the ticket is never resolved while the conversation stays with agents.
   * Null when the ticket does not exist or was resolved before; `notice` is null when the
   * conversation is closed (nobody to tell).
   */
  async resolve(
    assistantId: string,
    ticketId: string,
    notice: { text: string; quickReplies: string[] },
  ): Promise<{ notice: StoredReply | null } | null> {
    const id = randomUUID();
    const rows = await this.db.rows<{
      resolved: boolean;
      conversation_id: string | null;
      channel: ChannelId | null;
      status: ConversationStatus | null;
      message_id: string | null;
    }>(
      'console.resolve',
      `WITH t AS (
         UPDATE handoff_tickets SET status = 'resolved'::"TicketStatus", resolved_at = now()
         WHERE id = $1::uuid AND assistant_id = $2 AND status <> 'resolved'::"TicketStatus"
         RETURNING conversation_id),
       conv AS (
         UPDATE conversations c
         SET last_seq = c.last_seq + 1, updated_at = now(),
             status = CASE WHEN c.status = 'handoff'::"ConversationStatus"
                           THEN 'bot'::"ConversationStatus" ELSE c.status END,
             -- The bot reads the customer's next message as the rating, if it is one.
             state = jsonb_set(coalesce(c.state, '{"version": 1}'::jsonb), '{awaitingRating}',
                               'true'::jsonb)
         FROM t WHERE c.id = t.conversation_id AND c.assistant_id = $2
           AND c.status <> 'closed'::"ConversationStatus"
         RETURNING c.id, c.last_seq, c.channel, c.status),
       msg AS (
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               quick_replies, delivery_status)
         SELECT $3::uuid, $2, conv.id, conv.last_seq, 'system'::"MessageRole", conv.channel, $4,
                $5::jsonb, 'queued'::"DeliveryStatus"
         FROM conv
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM t) AS resolved, (SELECT id FROM conv) AS conversation_id,
              (SELECT channel FROM conv) AS channel, (SELECT status FROM conv) AS status,
              (SELECT id FROM msg) AS message_id`,
      [ticketId, assistantId, id, notice.text, JSON.stringify(notice.quickReplies)],
    );
    const row = rows[0];
    if (!row?.resolved) return null;
    if (!row.message_id || !row.conversation_id || !row.channel || !row.status) {
      return { notice: null };
    }
    return {
      notice: {
        id: row.message_id,
        assistantId,
        conversationId: row.conversation_id,
        channel: row.channel,
        status: row.status,
      },
    };
  }
}
