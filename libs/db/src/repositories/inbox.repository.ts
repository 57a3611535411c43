import { randomUUID } from 'node:crypto';

import type { ChannelId } from '@parley/contracts';

import type { Database } from '../database';

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
  /** The new message's id, chosen by the caller so vault entries can be sealed to it. */
  messageId?: string;
  /** Sealed originals of the PII masked in `text`, stored with the message or not at all. */
  vault?: VaultEntryInput[];
  /**
   * The channel vouches for the sender (web: a valid userHash; platforms with signed webhooks:
   * always). Storing the message marks the identity verified, for good; once it is, messages
   * without this are refused (`identity_required`), since anyone could have sent them.
   */
  verified?: boolean;
}

export interface VaultEntryInput {
  placeholder: string;
  piiType: string;
  keyId: string;
  sealed: Buffer;
}

/**
 * A message for an identity verified before is stored only if it is verified too; checked in the
 * insert itself, so a cached identity that does not know it was verified since cannot let one in.
 */
const identityAllows = (identity: number, verified: number) =>
  `($${verified}::boolean OR NOT EXISTS (
     SELECT 1 FROM channel_identities i WHERE i.id = $${identity}::uuid AND i.verified))`;

/** A verified message, once stored, marks its identity verified (the first time only). */
const verifyCte = (identity: number, verified: number) => `
       , verify AS (
         UPDATE channel_identities i SET verified = true, verified_at = now()
         FROM msg WHERE i.id = $${identity}::uuid AND $${verified}::boolean AND NOT i.verified)`;

/** Stores the message's vault entries in the same statement, only if the message was inserted. */
const vaultCte = (first: number) => `
       , vault AS (
         INSERT INTO pii_vault (assistant_id, message_id, placeholder, pii_type, key_id, sealed)
         SELECT msg.assistant_id, msg.id, v.placeholder, v.pii_type, v.key_id, v.sealed
         FROM msg, unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::bytea[])
                   AS v(placeholder, pii_type, key_id, sealed))
       SELECT id, conversation_id FROM msg`;

const vaultParams = (vault: VaultEntryInput[] = []) => [
  vault.map((v) => v.placeholder),
  vault.map((v) => v.piiType),
  vault.map((v) => v.keyId),
  vault.map((v) => v.sealed),
];

export type AcceptMessageResult =
  | { kind: 'accepted' | 'duplicate'; conversationId: string; messageId: string }
  | { kind: 'conversation_not_found' | 'conversation_closed' | 'identity_required' };

const IDENTITY_CACHE_SIZE = 50_000;
const FOREIGN_KEY_VIOLATION = '23503';
const identityKey = (input: AcceptMessageInput) =>
  `${input.assistantId}\u0000${input.channel}\u0000${input.externalUserId}`;
const IDENTITY_CACHE_MS = 60_000;

interface Identity {
  identityId: string;
  customerId: string;
  verified: boolean;
}

/**
 * Where every channel hands over a customer message. Storing it here, before the queue, means an
 * accepted message is never lost, redeliveries are caught by the unique (channel, provider id) key
 * long after the queue forgot them, and the per-conversation sequence fixes the order of turns.
 */
export class InboxRepository {
  /**
   * Caching identities saves a round trip per message. Their ids never change, and `verified`
   * only turns true: a cached false may be stale (verified since, maybe on another replica),
   * which the insert checks itself; a cached true is never used to refuse (erased since?).
   */
  private readonly identities = new Map<string, { identity: Identity; expires: number }>();

  constructor(private readonly db: Database) {}

  async accept(input: AcceptMessageInput): Promise<AcceptMessageResult> {
    try {
      return await this.acceptOnce(input);
    } catch (error) {
      // A cached identity whose customer was erased since: forget it and look again, once.
      if ((error as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw error;
      this.identities.delete(identityKey(input));
      return this.acceptOnce(input);
    }
  }

  private async acceptOnce(input: AcceptMessageInput): Promise<AcceptMessageResult> {
    // A customer we have never seen cannot own the conversation they name: refuse, store nothing.
    const identity = await this.identityFor(input, { create: !input.conversationId });
    if (!identity) return { kind: 'conversation_not_found' };
    // Read from the database just now: identityFor never answers this case from the cache.
    if (identity.verified && !input.verified) return { kind: 'identity_required' };
    const inserted = input.conversationId
      ? await this.insertIntoConversation(input, input.conversationId, identity)
      : await this.insertIntoOpenConversation(input, identity);
    if (inserted) {
      if (input.verified && !identity.verified) {
        this.remember(input, { ...identity, verified: true });
      }
      return { kind: 'accepted', ...inserted };
    }

    // Nothing inserted: the identity was verified since we cached it, a redelivery of a stored
    // message, or a conversation we may not write to.
    if (!input.verified) {
      const current = await this.findIdentity(input);
      if (current) this.remember(input, current);
      if (current?.verified) return { kind: 'identity_required' };
    }
    const existing = await this.findByProviderId(input.channel, input.providerMessageId);
    if (existing) return { kind: 'duplicate', ...existing };
    if (input.conversationId) {
      const problem = await this.checkConversation(
        input.assistantId,
        input.conversationId,
        identity,
      );
      if (problem) return { kind: problem };
    }
    throw new Error('message was neither stored nor found');
  }

  async findByProviderId(
    channel: ChannelId,
    providerMessageId: string,
  ): Promise<{ conversationId: string; messageId: string } | null> {
    const row = await this.db.prisma.message.findUnique({
      where: { channel_providerMessageId: { channel, providerMessageId } },
      select: { id: true, conversationId: true },
    });
    return row ? { conversationId: row.conversationId, messageId: row.id } : null;
  }

  private async identityFor(
    input: AcceptMessageInput,
    options: { create: boolean },
  ): Promise<Identity | null> {
    const cached = this.identities.get(identityKey(input));
    const refusal = cached?.identity.verified && !input.verified;
    if (cached && cached.expires > Date.now() && !refusal) return cached.identity;
    const identity = await this.findOrCreateIdentity(input, options);
    if (identity) this.remember(input, identity);
    return identity;
  }

  private remember(input: AcceptMessageInput, identity: Identity): void {
    if (this.identities.size >= IDENTITY_CACHE_SIZE) this.identities.clear();
    this.identities.set(identityKey(input), { identity, expires: Date.now() + IDENTITY_CACHE_MS });
  }

  private async findIdentity(input: AcceptMessageInput): Promise<Identity | null> {
    const [found] = await this.db.rows<{ id: string; customer_id: string; verified: boolean }>(
      'inbox.identity',
      `SELECT id, customer_id, verified FROM channel_identities
       WHERE assistant_id = $1 AND channel = $2 AND external_id = $3`,
      [input.assistantId, input.channel, input.externalUserId],
    );
    return found
      ? { identityId: found.id, customerId: found.customer_id, verified: found.verified }
      : null;
  }

  private async findOrCreateIdentity(
    input: AcceptMessageInput,
    options: { create: boolean },
  ): Promise<Identity | null> {
    const found = await this.findIdentity(input);
    if (found || !options.create) return found;
    // Identity first, and its customer only if the identity was inserted: a concurrent first
    // message wins or loses whole. The foreign key is checked at the end of the statement.
    const [created] = await this.db.rows<{ id: string; customer_id: string }>(
      'inbox.create-identity',
      `WITH identity AS (
         INSERT INTO channel_identities (id, assistant_id, customer_id, channel, external_id)
         VALUES ($1::uuid, $2, $3::uuid, $4, $5)
         ON CONFLICT (assistant_id, channel, external_id) DO NOTHING
         RETURNING id, customer_id),
       customer AS (
         INSERT INTO customers (id, assistant_id, updated_at)
         SELECT customer_id, $2, now() FROM identity
         RETURNING id)
       SELECT identity.id, identity.customer_id FROM identity`,
      [randomUUID(), input.assistantId, randomUUID(), input.channel, input.externalUserId],
    );
    if (created) {
      return { identityId: created.id, customerId: created.customer_id, verified: false };
    }
    const identity = await this.findIdentity(input);
    if (!identity) throw new Error('channel identity neither created nor found');
    return identity;
  }

  private async checkConversation(
    assistantId: string,
    conversationId: string,
    identity: Identity,
  ): Promise<'conversation_not_found' | 'conversation_closed' | null> {
    const conversation = await this.db.prisma.conversation.findFirst({
      where: { id: conversationId, assistantId, channelIdentityId: identity.identityId },
      select: { status: true },
    });
    if (!conversation) return 'conversation_not_found';
    return conversation.status === 'closed' ? 'conversation_closed' : null;
  }

  /** Allocates the next sequence number under the conversation's row lock, in one statement. */
  private async insertIntoConversation(
    input: AcceptMessageInput,
    conversationId: string,
    identity: Identity,
  ) {
    const rows = await this.db.rows<{ id: string; conversation_id: string }>(
      'inbox.insert-into-conversation',
      `WITH conv AS (
         UPDATE conversations SET last_seq = last_seq + 1, updated_at = now()
         WHERE id = $1::uuid AND assistant_id = $2 AND channel_identity_id = $3::uuid
           AND status <> 'closed'::"ConversationStatus" AND ${identityAllows(3, 8)}
         RETURNING id, last_seq)
       , msg AS (
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               provider_message_id, turn_status)
         SELECT $4::uuid, $2, conv.id, conv.last_seq, 'user'::"MessageRole", $5, $6, $7, 'pending'::"TurnStatus"
         FROM conv
         ON CONFLICT (channel, provider_message_id) DO NOTHING
         RETURNING id, assistant_id, conversation_id)
       ${verifyCte(3, 8)}
       ${vaultCte(9)}`,
      [
        conversationId,
        input.assistantId,
        identity.identityId,
        input.messageId ?? randomUUID(),
        input.channel,
        input.text,
        input.providerMessageId,
        input.verified === true,
        ...vaultParams(input.vault),
      ],
    );
    return rows[0] ? { conversationId: rows[0].conversation_id, messageId: rows[0].id } : null;
  }

  /** Opens a conversation for the identity (and thread) unless one is open, in one statement. */
  private async insertIntoOpenConversation(input: AcceptMessageInput, identity: Identity) {
    const openKey = input.threadKey
      ? `${identity.identityId}/${input.threadKey}`
      : identity.identityId;
    const rows = await this.db.rows<{ id: string; conversation_id: string }>(
      'inbox.insert-into-open-conversation',
      `WITH conv AS (
         INSERT INTO conversations (id, assistant_id, customer_id, channel_identity_id, channel,
                                    thread_key, status, open_key, last_seq, updated_at)
         SELECT $1::uuid, $2::text, $3::uuid, $4::uuid, $5::text, $6::text,
                'bot'::"ConversationStatus", $7::text, 1, now()
         WHERE ${identityAllows(4, 11)}
         ON CONFLICT (open_key) DO UPDATE
           SET last_seq = conversations.last_seq + 1, updated_at = now()
         RETURNING id, last_seq)
       , msg AS (
         INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                               provider_message_id, turn_status)
         SELECT $8::uuid, $2, conv.id, conv.last_seq, 'user'::"MessageRole", $5, $9, $10, 'pending'::"TurnStatus"
         FROM conv
         ON CONFLICT (channel, provider_message_id) DO NOTHING
         RETURNING id, assistant_id, conversation_id)
       ${verifyCte(4, 11)}
       ${vaultCte(12)}`,
      [
        randomUUID(),
        input.assistantId,
        identity.customerId,
        identity.identityId,
        input.channel,
        input.threadKey ?? null,
        openKey,
        input.messageId ?? randomUUID(),
        input.text,
        input.providerMessageId,
        input.verified === true,
        ...vaultParams(input.vault),
      ],
    );
    return rows[0] ? { conversationId: rows[0].conversation_id, messageId: rows[0].id } : null;
  }
}
