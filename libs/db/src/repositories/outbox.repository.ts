import type { ChannelId, ConversationStatus, OutboundReply } from '@parley/contracts';

import { Batcher } from '../batcher';
import type { Database } from '../database';

export interface UndeliveredTurn {
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  status: ConversationStatus;
  inReplyTo?: string;
  replies: OutboundReply[];
}

/** Delivery state of replies: the outbox that makes "stored" and "sent" agree after crashes. */
export class OutboxRepository {
  /** Marks made while one is being written go together in the next statement. */
  private readonly sentMarks = new Batcher<string[], string[]>(async (assistantId, batches) => {
    const marked = new Set(await this.markSentNow(assistantId, batches.flat()));
    return batches.map((replyIds) => replyIds.filter((id) => marked.has(id)));
  });

  constructor(private readonly db: Database) {}

  /** Marks replies sent; returns the ids that were still queued (others were already sent). */
  markSent(assistantId: string, replyIds: string[]): Promise<string[]> {
    return this.sentMarks.call(assistantId, replyIds);
  }

  private async markSentNow(assistantId: string, replyIds: string[]): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'outbox.mark-sent',
      `UPDATE messages SET delivery_status = 'sent'::"DeliveryStatus"
       WHERE assistant_id = $1 AND id = ANY($2::uuid[]) AND delivery_status = 'queued'::"DeliveryStatus"
       RETURNING id`,
      [assistantId, replyIds],
    );
    return rows.map((row) => row.id);
  }

  async markFailed(assistantId: string, replyIds: string[], reason: string): Promise<void> {
    await this.db.prisma.message.updateMany({
      where: { assistantId, id: { in: replyIds }, deliveryStatus: 'queued' },
      data: { deliveryStatus: 'failed', deliveryError: reason.slice(0, 1_000) },
    });
  }

  /** Replies committed but still queued after `olderThanMs`, grouped by the turn they answer. */
  async undelivered(olderThanMs: number, limit: number): Promise<UndeliveredTurn[]> {
    const cutoff = new Date(Date.now() - olderThanMs);
    const rows = await this.db.prisma.message.findMany({
      // The role selects the sweeper's own index (migration sweeper_only_indexes).
      where: { deliveryStatus: 'queued', role: { not: 'user' }, createdAt: { lt: cutoff } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: {
        id: true,
        assistantId: true,
        conversationId: true,
        channel: true,
        role: true,
        text: true,
        quickReplies: true,
        inReplyToId: true,
        conversation: { select: { status: true } },
      },
    });
    const turns = new Map<string, UndeliveredTurn>();
    for (const row of rows) {
      const key = row.inReplyToId ?? row.id;
      const turn = turns.get(key) ?? {
        assistantId: row.assistantId,
        conversationId: row.conversationId,
        channel: row.channel as ChannelId,
        status: row.conversation.status,
        ...(row.inReplyToId ? { inReplyTo: row.inReplyToId } : {}),
        replies: [],
      };
      turn.replies.push({
        id: row.id,
        role: row.role === 'agent' ? 'agent' : row.role === 'system' ? 'system' : 'assistant',
        text: row.text,
        ...(Array.isArray(row.quickReplies) ? { quickReplies: row.quickReplies as string[] } : {}),
      });
      turns.set(key, turn);
    }
    return [...turns.values()];
  }
}
