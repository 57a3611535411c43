import type { ChannelId } from '@parley/contracts';

import type { Database } from '../database';

/** Where a conversation's replies go on its platform. */
export interface DeliveryAddress {
  channel: ChannelId;
  /** The customer's id on the platform: a phone number, a Slack user id. */
  externalId: string;
  /** The platform thread the conversation lives in (Slack thread ts), when it has one. */
  threadKey: string | null;
  /** The customer opted out (SMS STOP): nothing may be sent. */
  optedOut: boolean;
  /** When the customer last wrote on this identity (WhatsApp's 24-hour window). */
  lastSeenAt: Date;
}

/** What a platform's status callback may report; a status only moves forward. */
export type ReportedStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The channel apps' side of replies: where to send them, the claim that makes a retried send job
 * skip what was sent, and the statuses platforms report afterwards.
 */
export class DeliveryRepository {
  constructor(private readonly db: Database) {}

  async address(assistantId: string, conversationId: string): Promise<DeliveryAddress | null> {
    const rows = await this.db.rows<{
      channel: string;
      external_id: string;
      thread_key: string | null;
      opted_out_at: Date | null;
      last_seen_at: Date;
    }>(
      'delivery.address',
      `SELECT i.channel, i.external_id, c.thread_key, i.opted_out_at, i.last_seen_at
       FROM conversations c JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE c.id = $1::uuid AND c.assistant_id = $2`,
      [conversationId, assistantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      channel: row.channel as ChannelId,
      externalId: row.external_id,
      threadKey: row.thread_key,
      optedOut: row.opted_out_at !== null,
      lastSeenAt: row.last_seen_at,
    };
  }

  /**
   * Claims a queued reply for sending; false when it is not queued (sent already, being sent by
   * another attempt, or failed). Only the claimant calls the platform.
   */
  async claim(assistantId: string, replyId: string): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      'delivery.claim',
      `UPDATE messages SET delivery_status = 'sending'::"DeliveryStatus", delivery_attempted_at = now()
       WHERE id = $1::uuid AND assistant_id = $2 AND delivery_status = 'queued'::"DeliveryStatus"
       RETURNING id`,
      [replyId, assistantId],
    );
    return rows.length > 0;
  }

  /** The platform certainly did not take it (refused before accepting): it may be sent again. */
  async release(assistantId: string, replyId: string): Promise<void> {
    await this.db.rows(
      'delivery.release',
      `UPDATE messages SET delivery_status = 'queued'::"DeliveryStatus"
       WHERE id = $1::uuid AND assistant_id = $2 AND delivery_status = 'sending'::"DeliveryStatus"`,
      [replyId, assistantId],
    );
  }

  /** The platform took it; its id lets status callbacks find the reply. */
  async sent(assistantId: string, replyId: string, providerMessageId?: string): Promise<void> {
    await this.db.rows(
      'delivery.sent',
      // A status callback may have overtaken the platform's answer: keep what it reported.
      `UPDATE messages SET provider_message_id = coalesce($3, provider_message_id),
         delivery_status = CASE WHEN delivery_status = 'sending'::"DeliveryStatus"
                                THEN 'sent'::"DeliveryStatus" ELSE delivery_status END
       WHERE id = $1::uuid AND assistant_id = $2`,
      [replyId, assistantId, providerMessageId ?? null],
    );
  }

  /** Gives up on a reply (dead letter): it stays in the transcript with the reason. */
  async failed(assistantId: string, replyId: string, reason: string): Promise<void> {
    await this.db.rows(
      'delivery.failed',
      `UPDATE messages SET delivery_status = 'failed'::"DeliveryStatus", delivery_error = $3
       WHERE id = $1::uuid AND assistant_id = $2
         AND delivery_status IN ('queued'::"DeliveryStatus", 'sending'::"DeliveryStatus")`,
      [replyId, assistantId, reason.slice(0, 1_000)],
    );
  }

  /**
   * A platform's status callback, found by our reply id or the platform's message id. Callbacks
   * repeat and arrive out of order: a status only replaces an earlier one (sent → delivered →
   * read); failed replaces anything short of delivered. Returns whether it changed anything.
   */
  async report(
    assistantId: string,
    reply: { id?: string; channel?: ChannelId; providerMessageId?: string },
    status: ReportedStatus,
    error?: string,
  ): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      'delivery.report',
      `UPDATE messages m SET delivery_status = $4::"DeliveryStatus",
         delivery_error = CASE WHEN $4 = 'failed' THEN $5 ELSE m.delivery_error END
       WHERE m.assistant_id = $1 AND m.role <> 'user'::"MessageRole"
         AND (m.id = $2::uuid OR (m.channel = $6 AND m.provider_message_id = $3))
         AND ${rankOf('m.delivery_status::text')} < ${rankOf('$4::text')}
       RETURNING m.id`,
      [
        assistantId,
        reply.id ?? null,
        reply.providerMessageId ?? null,
        status,
        error?.slice(0, 1_000) ?? null,
        reply.channel ?? null,
      ],
    );
    return rows.length > 0;
  }

  /**
   * The customer wrote at `at` (WhatsApp's 24-hour window runs from it). Only moves forward: a
   * redelivered old message changes nothing. A new identity starts at its creation time.
   */
  async seen(assistantId: string, channel: ChannelId, externalId: string, at: Date): Promise<void> {
    await this.db.rows(
      'delivery.seen',
      `UPDATE channel_identities SET last_seen_at = least($4::timestamp, now())
       WHERE assistant_id = $1 AND channel = $2 AND external_id = $3
         AND last_seen_at < least($4::timestamp, now())`,
      [assistantId, channel, externalId, at],
    );
  }

  /** The customer opted out (at) or back in (null). */
  async setOptOut(
    assistantId: string,
    channel: ChannelId,
    externalId: string,
    optedOut: boolean,
  ): Promise<void> {
    await this.db.rows(
      'delivery.opt-out',
      `UPDATE channel_identities SET opted_out_at = CASE WHEN $4 THEN coalesce(opted_out_at, now()) END
       WHERE assistant_id = $1 AND channel = $2 AND external_id = $3`,
      [assistantId, channel, externalId, optedOut],
    );
  }

  /**
   * Replies left `sending` longer than `olderThanMs` (a process stopped mid-call): whether the
   * customer got them is unknown, so they are marked failed with that reason, never resent.
   */
  async abandonStale(olderThanMs: number): Promise<number> {
    const rows = await this.db.rows<{ id: string }>(
      'delivery.abandon-stale',
      // The role selects the sweeper's own index (migration sweeper_only_indexes).
      `UPDATE messages SET delivery_status = 'failed'::"DeliveryStatus",
         delivery_error = 'delivery outcome unknown: the sender stopped during the call'
       WHERE delivery_status = 'sending'::"DeliveryStatus" AND role <> 'user'::"MessageRole"
         AND delivery_attempted_at < $1
       RETURNING id`,
      [new Date(Date.now() - olderThanMs)],
    );
    return rows.length;
  }
}

/** Order of delivery statuses for callbacks; failed outranks sent but not delivered. */
function rankOf(status: string): string {
  return `(CASE ${status} WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2
    WHEN 'failed' THEN 3 WHEN 'delivered' THEN 4 WHEN 'read' THEN 5 ELSE 0 END)`;
}
