import { randomUUID } from 'node:crypto';

import type { ChannelId } from '@parley/contracts';

import type { Prisma } from '../database';

export interface AcceptMessageInput {
  assistantId: string;
  channel: ChannelId;
  /** The customer's id on the channel (web user id, Slack user id, phone number). */
  externalUserId: string;
  /** Masked text. */
  text: string;
  /** Dedupe key: the platform's message id, or a web client's idempotency key. */
  providerMessageId: string;
  /** Continue this conversation; otherwise the identity's open conversation (or a new one). */
  conversationId?: string;
  /** Platform thread (Slack thread ts): one open conversation per identity and thread. */
  threadKey?: string;
}

export type AcceptMessageResult =
  | { kind: 'accepted' | 'duplicate'; conversationId: string; messageId: string }
  | { kind: 'conversation_not_found' | 'conversation_closed' };

interface Identity {
  identityId: string;
  customerId: string;
}

/**
 * Where every channel hands over a customer message. Storing it here, before the queue, means an
 * accepted message is never lost, redeliveries are caught by the unique (channel, provider id) key
 * long after the queue forgot them, and the per-conversation sequence fixes the order of turns.
 */
export class InboxRepository {
  constructor(private readonly prisma: Prisma) {}

  async accept(input: AcceptMessageInput): Promise<AcceptMessageResult> {
    const existing = await this.findByProviderId(input.channel, input.providerMessageId);
    if (existing) return { kind: 'duplicate', ...existing };

    const identity = await this.identityFor(input);
    if (input.conversationId) {
      const problem = await this.checkConversation(
        input.assistantId,
        input.conversationId,
        identity,
      );
      if (problem) return { kind: problem };
    }
    const inserted = input.conversationId
      ? await this.insertIntoConversation(input, input.conversationId)
      : await this.insertIntoOpenConversation(input, identity);
    if (inserted) return { kind: 'accepted', ...inserted };

    // Lost a race with a concurrent delivery of the same provider message.
    const raced = await this.findByProviderId(input.channel, input.providerMessageId);
    if (!raced) throw new Error('message vanished after a unique-key conflict');
    return { kind: 'duplicate', ...raced };
  }

  async findByProviderId(
    channel: ChannelId,
    providerMessageId: string,
  ): Promise<{ conversationId: string; messageId: string } | null> {
    const row = await this.prisma.message.findUnique({
      where: { channel_providerMessageId: { channel, providerMessageId } },
      select: { id: true, conversationId: true },
    });
    return row ? { conversationId: row.conversationId, messageId: row.id } : null;
  }

  private async identityFor(input: AcceptMessageInput): Promise<Identity> {
    const where = {
      assistantId_channel_externalId: {
        assistantId: input.assistantId,
        channel: input.channel,
        externalId: input.externalUserId,
      },
    };
    const found = await this.prisma.channelIdentity.findUnique({ where });
    if (found) return { identityId: found.id, customerId: found.customerId };
    try {
      const created = await this.prisma.customer.create({
        data: {
          assistantId: input.assistantId,
          identities: {
            create: {
              assistantId: input.assistantId,
              channel: input.channel,
              externalId: input.externalUserId,
            },
          },
        },
        select: { id: true, identities: { select: { id: true } } },
      });
      return { identityId: created.identities[0]!.id, customerId: created.id };
    } catch (error) {
      // A concurrent first message created the identity; the nested create rolled back whole.
      const again = await this.prisma.channelIdentity.findUnique({ where });
      if (!again) throw error;
      return { identityId: again.id, customerId: again.customerId };
    }
  }

  private async checkConversation(
    assistantId: string,
    conversationId: string,
    identity: Identity,
  ): Promise<'conversation_not_found' | 'conversation_closed' | null> {
    const conversation = await this.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId, channelIdentityId: identity.identityId },
      select: { status: true },
    });
    if (!conversation) return 'conversation_not_found';
    return conversation.status === 'closed' ? 'conversation_closed' : null;
  }

  /** Allocates the next sequence number under the conversation's row lock, in one statement. */
  private async insertIntoConversation(input: AcceptMessageInput, conversationId: string) {
    const rows = await this.prisma.$queryRaw<{ id: string; conversation_id: string }[]>`
      WITH conv AS (
        UPDATE conversations SET last_seq = last_seq + 1, updated_at = now()
        WHERE id = ${conversationId}::uuid AND assistant_id = ${input.assistantId}
          AND status <> 'closed'
        RETURNING id, last_seq)
      INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                            provider_message_id, turn_status)
      SELECT ${randomUUID()}::uuid, ${input.assistantId}, conv.id, conv.last_seq, 'user'::"MessageRole",
             ${input.channel}, ${input.text}, ${input.providerMessageId}, 'pending'::"TurnStatus"
      FROM conv
      ON CONFLICT (channel, provider_message_id) DO NOTHING
      RETURNING id, conversation_id`;
    return rows[0] ? { conversationId: rows[0].conversation_id, messageId: rows[0].id } : null;
  }

  /** Opens a conversation for the identity (and thread) unless one is open, in one statement. */
  private async insertIntoOpenConversation(input: AcceptMessageInput, identity: Identity) {
    const openKey = input.threadKey
      ? `${identity.identityId}/${input.threadKey}`
      : identity.identityId;
    const rows = await this.prisma.$queryRaw<{ id: string; conversation_id: string }[]>`
      WITH conv AS (
        INSERT INTO conversations (id, assistant_id, customer_id, channel_identity_id, channel,
                                   thread_key, status, open_key, last_seq, updated_at)
        VALUES (${randomUUID()}::uuid, ${input.assistantId}, ${identity.customerId}::uuid,
                ${identity.identityId}::uuid, ${input.channel}, ${input.threadKey ?? null}, 'bot'::"ConversationStatus",
                ${openKey}, 1, now())
        ON CONFLICT (open_key) DO UPDATE
          SET last_seq = conversations.last_seq + 1, updated_at = now()
        RETURNING id, last_seq)
      INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                            provider_message_id, turn_status)
      SELECT ${randomUUID()}::uuid, ${input.assistantId}, conv.id, conv.last_seq, 'user'::"MessageRole",
             ${input.channel}, ${input.text}, ${input.providerMessageId}, 'pending'::"TurnStatus"
      FROM conv
      ON CONFLICT (channel, provider_message_id) DO NOTHING
      RETURNING id, conversation_id`;
    return rows[0] ? { conversationId: rows[0].conversation_id, messageId: rows[0].id } : null;
  }
}
