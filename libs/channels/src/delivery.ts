import { setTimeout as sleep } from 'node:timers/promises';

import { SpanKind } from '@opentelemetry/api';
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import {
  JobName,
  OUTBOUND_QUEUE,
  type ChannelId,
  type OutboundMessageJob,
  type OutboundReply,
} from '@parley/contracts';
import type { DeliveryAddress, DeliveryRepository } from '@parley/db';
import type { Logger } from '@parley/platform';
import { JobStatus, queuePrefix, startWorker, withSpan } from '@parley/queue';

/**
 * How a send failed, as the channel's sender tells it:
 * - `retry`: the platform did not take the message (429, 5xx, refused connection); it is sent
 *   again later, after `retryAfterMs` when the platform said how long;
 * - `rejected`: the platform refused this message for good (bad recipient, malformed): it is
 *   marked failed with the reason;
 * - `opted_out`: the customer told the platform to stop; nothing more is sent to them;
 * - `unknown`: the call may have gone through (a timeout after sending): never sent again, marked
 *   failed with the reason, since a customer may not get the same message twice.
 */
export type SendFailure = 'retry' | 'rejected' | 'opted_out' | 'unknown';

export class SendError extends Error {
  override readonly name = 'SendError';

  constructor(
    message: string,
    readonly failure: SendFailure,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A channel's platform client: the only channel-specific part of delivery. */
export interface ChannelSender {
  /**
   * Sends one reply (already fitted to the channel's length and buttons by the output guard;
   * render it to the platform's format here). Returns the platform's message id, which status
   * callbacks name. Throws SendError to say how a failure should be handled.
   */
  send(address: DeliveryAddress, reply: OutboundReply): Promise<{ providerMessageId?: string }>;
  /** The rate-limit bucket of a send: a Slack channel, a sending number. */
  bucket(address: DeliveryAddress): string;
}

export interface ChannelDeliveryOptions {
  channel: ChannelId;
  sender: ChannelSender;
  deliveries: DeliveryRepository;
  /** Redis for the rate limiter's counters. */
  redis: Redis;
  /** A blocking-safe connection for the worker. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Sends per bucket per second the platform allows (Slack: 1 per channel). */
  ratePerSecond: number;
  /** A rate-limit wait up to this long happens in place; longer ones postpone the job. */
  maxInlineWaitMs?: number;
  /** A job still postponed (429s) after this long is given up and its replies marked failed. */
  giveUpAfterMs?: number;
  logger: Logger;
  metrics: Registry;
}

/**
 * The outbound consumer every channel app runs: for each reply of a turn, in order, claim it
 * (so a retried job skips what was sent), wait for the platform's rate limit, send, and record
 * the outcome. A 429 postpones the job by its Retry-After without using up an attempt; a job that
 * fails for good leaves its replies marked failed with the reason (the dead letter).
 */
export function startChannelDelivery(options: ChannelDeliveryOptions): Worker {
  const { channel, sender, deliveries, logger } = options;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 60 * 60_000;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${queuePrefix(options.prefix)}:send-rate:${channel}`,
    points: Math.max(1, Math.round(options.ratePerSecond)),
    duration: 1,
  });
  const outcomes = new Counter({
    name: 'parley_channel_sends_total',
    help: 'Replies handed to the platform, by outcome',
    labelNames: ['channel', 'outcome'],
    registers: [options.metrics],
  });

  /** Waits for a send slot; false when the wait is too long to hold the worker. */
  async function slot(bucket: string, job: Job, token: string | undefined): Promise<void> {
    for (;;) {
      try {
        await limiter.consume(bucket);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        if (rejection.msBeforeNext <= maxInlineWaitMs) {
          await sleep(rejection.msBeforeNext);
          continue;
        }
        await postpone(job, token, rejection.msBeforeNext);
      }
    }
  }

  /** Moves the job back to the delayed set; does not count as a failed attempt. */
  async function postpone(job: Job, token: string | undefined, ms: number): Promise<never> {
    if (Date.now() - job.timestamp > giveUpAfterMs) {
      throw new Error(`still rate-limited after ${Math.round(giveUpAfterMs / 60_000)} minutes`);
    }
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }

  async function deliver(
    payload: OutboundMessageJob,
    job: Job,
    token: string | undefined,
  ): Promise<JobStatus> {
    const { assistantId } = payload;
    const address = await deliveries.address(assistantId, payload.conversationId);
    if (!address) {
      for (const reply of payload.replies) {
        await deliveries.failed(assistantId, reply.id, 'the conversation no longer exists');
      }
      return JobStatus.Skipped;
    }
    let sent = 0;
    for (const reply of payload.replies) {
      if (address.optedOut) {
        await deliveries.failed(assistantId, reply.id, 'the customer opted out on the platform');
        outcomes.inc({ channel, outcome: 'opted_out' });
        continue;
      }
      await slot(sender.bucket(address), job, token);
      if (!(await deliveries.claim(assistantId, reply.id))) continue;
      try {
        const { providerMessageId } = await withSpan(
          `send ${channel}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'parley.channel': channel,
              'parley.conversation_id': payload.conversationId,
              'parley.reply_id': reply.id,
            },
          },
          async (span) => {
            try {
              const result = await sender.send(address, reply);
              span.setAttribute('parley.outcome', 'sent');
              return result;
            } catch (error) {
              if (error instanceof SendError) span.setAttribute('parley.outcome', error.failure);
              throw error;
            }
          },
        );
        await deliveries.sent(assistantId, reply.id, providerMessageId);
        outcomes.inc({ channel, outcome: 'sent' });
        sent += 1;
      } catch (error) {
        const failure = error instanceof SendError ? error : null;
        const reason = error instanceof Error ? error.message : String(error);
        switch (failure?.failure ?? 'unknown') {
          case 'retry':
            await deliveries.release(assistantId, reply.id);
            outcomes.inc({ channel, outcome: 'retry' });
            if (failure?.retryAfterMs !== undefined)
              await postpone(job, token, failure.retryAfterMs);
            throw error;
          case 'opted_out':
            await deliveries.setOptOut(assistantId, channel, address.externalId, true);
            address.optedOut = true;
            await deliveries.failed(assistantId, reply.id, reason);
            outcomes.inc({ channel, outcome: 'opted_out' });
            break;
          case 'rejected':
          case 'unknown':
            logger.warn(
              { err: reason, replyId: reply.id, conversationId: payload.conversationId },
              'reply not delivered',
            );
            await deliveries.failed(assistantId, reply.id, reason);
            outcomes.inc({ channel, outcome: failure?.failure ?? 'unknown' });
            break;
        }
      }
    }
    return sent > 0 ? JobStatus.Done : JobStatus.Skipped;
  }

  return startWorker({
    queue: OUTBOUND_QUEUE[channel],
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    handlers: { [JobName.OutboundMessage]: deliver },
    onFailed: (job, error) => {
      const data = job?.data as OutboundMessageJob | undefined;
      const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
      logger.error({ err: error.message, jobId: job?.id, final }, `${channel} delivery failed`);
      if (!final || !data) return;
      // Dead letter: what was not sent stays in the transcript, failed, with the reason.
      void Promise.all(
        data.replies.map((reply) => deliveries.failed(data.assistantId, reply.id, error.message)),
      ).catch((e: unknown) => logger.error({ err: e }, 'could not mark delivery failed'));
    },
  });
}
