import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import {
  JobName,
  QueueName,
  jobIdFor,
  type PostMessageAccepted,
  type PostMessageBody,
  type PostMessageResponse,
  type TranscriptResponse,
} from '@parley/contracts';
import type { ApiReply } from '@parley/contracts';
import type { InboxRepository, TranscriptRepository } from '@parley/db';
import type { PiiIntake } from '@parley/guard';
import { CONFIG, ErrorCode, LOGGER, ParleyError, PRODUCER, type Logger } from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import type { WebConfig } from '../config';
import { StreamHub } from '../stream/stream-hub';
import { WebIdentity, type ReaderCredentials } from '../identity/web-identity';
import { INBOX, PII_INTAKE, TRANSCRIPTS } from '../tokens';

export type PostOutcome =
  { kind: 'answered'; body: PostMessageResponse } | { kind: 'accepted'; body: PostMessageAccepted };

@Injectable()
export class MessagesService {
  constructor(
    @Inject(INBOX) private readonly inbox: InboxRepository,
    @Inject(TRANSCRIPTS) private readonly transcripts: TranscriptRepository,
    @Inject(PII_INTAKE) private readonly pii: PiiIntake,
    @Inject(PRODUCER) private readonly producer: QueueProducer,
    @Inject(CONFIG) private readonly config: WebConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly hub: StreamHub,
    private readonly identity: WebIdentity,
  ) {}

  /**
   * Stores the message (so nothing accepted is lost), wakes the orchestrator, and, when asked to
   * wait, answers with the turn's replies. A retried request with the same idempotency key joins
   * the first one's turn instead of starting another.
   */
  async post(
    body: PostMessageBody,
    options: { wait: boolean; idempotencyKey?: string },
  ): Promise<PostOutcome> {
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    // Before anything is stored: a wrong or missing credential (userHash, visitorToken) refuses it.
    const { verified } = this.identity.sender(body);
    // Keys are scoped by user (length-prefixed, so no user id and key pair can forge another's).
    const providerMessageId = options.idempotencyKey
      ? `key:${body.userId.length}:${body.userId}:${options.idempotencyKey}`
      : `msg:${randomUUID()}`;
    // Masked before it is stored: no original reaches Postgres, the queue, the engine or logs.
    const guarded = this.pii.protect(assistantId, body.text);
    const result = await this.inbox.accept({
      assistantId,
      channel: 'web',
      externalUserId: body.userId,
      text: guarded.masked,
      messageId: guarded.messageId,
      vault: guarded.vault,
      providerMessageId,
      verified,
      ...(body.conversationId ? { conversationId: body.conversationId } : {}),
    });
    switch (result.kind) {
      case 'identity_required':
        throw new ParleyError(
          ErrorCode.IdentityRequired,
          'This user has been verified before: send userHash with every message of theirs.',
        );
      case 'conversation_not_found':
        throw new ParleyError(
          ErrorCode.ConversationNotFound,
          'No such conversation for this user.',
        );
      case 'conversation_closed':
        throw new ParleyError(
          ErrorCode.ConversationClosed,
          'This conversation is closed. Send the message without conversationId to start a new one.',
        );
      case 'accepted':
      case 'duplicate':
        break;
    }
    const { conversationId, messageId } = result;
    const waiter = options.wait
      ? this.hub.waitForReplies(messageId, this.config.WEB_WAIT_TIMEOUT_MS)
      : null;
    try {
      // Re-sent for duplicates too: the job id makes it a no-op unless the first enqueue was lost.
      await this.producer.add(
        QueueName.Inbound,
        JobName.InboundMessage,
        { channel: 'web', assistantId, conversationId, messageId, receivedAt: Date.now() },
        { jobId: jobIdFor('web', providerMessageId) },
      );
    } catch (error) {
      // The message is stored; the orchestrator's sweeper runs its turn once the queue is back.
      this.logger.error(
        { err: error, conversationId, messageId },
        'enqueue failed; sweeper will resume',
      );
    }
    if (!waiter) return { kind: 'accepted', body: { conversationId, messageId } };

    const existing =
      result.kind === 'duplicate' ? await this.transcripts.repliesTo(assistantId, messageId) : null;
    if (existing) {
      waiter.cancel();
      return {
        kind: 'answered',
        body: {
          conversationId,
          status: existing.status,
          replies: existing.replies.map(toApiReply),
        },
      };
    }
    const event = await waiter.promise;
    if (!event) return { kind: 'accepted', body: { conversationId, messageId } };
    return {
      kind: 'answered',
      body: {
        conversationId,
        status: event.status,
        replies: event.replies.map(toApiReply),
      },
    };
  }

  async transcript(
    conversationId: string,
    credentials: ReaderCredentials,
  ): Promise<TranscriptResponse> {
    await this.identity.requireReader(conversationId, credentials);
    const transcript = await this.transcripts.transcript(
      this.config.PARLEY_ASSISTANT_ID,
      conversationId,
    );
    if (!transcript) throw new ParleyError(ErrorCode.ConversationNotFound, 'No such conversation.');
    return transcript;
  }
}

function toApiReply(reply: { id: string; text: string; quickReplies?: string[] }): ApiReply {
  return {
    id: reply.id,
    text: reply.text,
    ...(reply.quickReplies ? { quickReplies: reply.quickReplies } : {}),
  };
}
