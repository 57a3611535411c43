import { JobName, QueueName, jobIdFor, type ChannelId } from '@parley/contracts';
import type { AcceptMessageResult, InboxRepository } from '@parley/db';
import type { PiiIntake } from '@parley/guard';
import type { Logger } from '@parley/platform';
import { withSpan, type QueueProducer } from '@parley/queue';

/** A customer message as a channel received it, verified and parsed from its webhook. */
export interface InboundMessage {
  channel: ChannelId;
  assistantId: string;
  /** The customer's id on the platform (phone number, Slack user id). */
  externalUserId: string;
  /** As the customer wrote it: masked here, before anything stores or queues it. */
  text: string;
  /** The platform's message id: a redelivered webhook is recognised by it, for good. */
  providerMessageId: string;
  /** The platform thread, when the conversation lives in one (Slack thread ts). */
  threadKey?: string;
  /** The platform vouches for the sender (a signed webhook does). */
  verified: boolean;
}

/**
 * Where every channel hands over a customer message: PII masked (originals sealed in the vault
 * when a key is set), stored with its dedupe key before anything else, then the orchestrator woken
 * with a job whose id is the channel and provider message id. Redelivered webhooks store nothing
 * new; an enqueue that fails leaves the message to the orchestrator's sweeper.
 */
export class ChannelIntake {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly pii: PiiIntake,
    private readonly producer: QueueProducer,
    private readonly logger: Logger,
  ) {}

  /** In a span of its own: the root of the trace for receivers without a webhook (Socket Mode). */
  accept(message: InboundMessage): Promise<AcceptMessageResult> {
    const attributes = { 'parley.channel': message.channel };
    return withSpan(`intake ${message.channel}`, { attributes }, async (span) => {
      const result = await this.store(message);
      span.setAttribute('parley.outcome', result.kind);
      if ('messageId' in result) {
        span.setAttributes({
          'parley.conversation_id': result.conversationId,
          'parley.message_id': result.messageId,
        });
      }
      return result;
    });
  }

  private async store(message: InboundMessage): Promise<AcceptMessageResult> {
    const guarded = this.pii.protect(message.assistantId, message.text);
    const result = await this.inbox.accept({
      assistantId: message.assistantId,
      channel: message.channel,
      externalUserId: message.externalUserId,
      text: guarded.masked,
      messageId: guarded.messageId,
      vault: guarded.vault,
      providerMessageId: message.providerMessageId,
      verified: message.verified,
      ...(message.threadKey ? { threadKey: message.threadKey } : {}),
    });
    if (result.kind !== 'accepted' && result.kind !== 'duplicate') return result;
    try {
      // Sent for duplicates too: the job id makes it a no-op unless the first enqueue was lost.
      await this.producer.add(
        QueueName.Inbound,
        JobName.InboundMessage,
        {
          channel: message.channel,
          assistantId: message.assistantId,
          conversationId: result.conversationId,
          messageId: result.messageId,
          receivedAt: Date.now(),
        },
        { jobId: jobIdFor(message.channel, message.providerMessageId) },
      );
    } catch (error) {
      this.logger.error(
        { err: error, conversationId: result.conversationId, messageId: result.messageId },
        'enqueue failed; the sweeper will run the turn',
      );
    }
    return result;
  }
}
