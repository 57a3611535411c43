import { SpanKind } from '@opentelemetry/api';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';

import { JobName, QueueName, type HandoffNotifyJob } from '@parley/contracts';
import { WebhookDeliveryRepository, type Ticket, type TicketRepository } from '@parley/db';
import type { Logger } from '@parley/platform';
import { JobStatus, startWorker, withSpan } from '@parley/queue';

import { ticketUrl, type HandoffConfig } from './config';
import { SlackTicketNotifier } from './slack-notice';
import { WebhookError, postWebhook } from './webhook';

export interface HandoffNotifierOptions {
  tickets: TicketRepository;
  webhooks: WebhookDeliveryRepository;
  /** A blocking-safe connection for the worker. */
  connection: Redis;
  prefix: string;
  config: Pick<
    HandoffConfig,
    | 'HANDOFF_SLACK_BOT_TOKEN'
    | 'HANDOFF_SLACK_CHANNEL'
    | 'HANDOFF_SLACK_API_URL'
    | 'HANDOFF_WEBHOOK_URL'
    | 'HANDOFF_WEBHOOK_SECRET'
    | 'HANDOFF_WEBHOOK_TIMEOUT_MS'
    | 'CONSOLE_PUBLIC_URL'
  >;
  concurrency?: number;
  logger: Logger;
}

/** What the webhook receiver gets (the body is stored, so every retry sends the same bytes). */
export interface TicketWebhookBody {
  id: string;
  event: HandoffNotifyJob['event'];
  ticket: {
    id: string;
    assistantId: string;
    conversationId: string;
    channel: string;
    status: string;
    priority: number;
    reason: string;
    summary: string | null;
    entities: Record<string, string[]>;
    escalations: number;
    createdAt: string;
    slaDueAt: string | null;
  };
  conversationUrl: string | null;
}

/** Targets a retried job has already notified (kept in the job's progress across attempts). */
interface Progress {
  slack?: string;
  webhook?: string;
}

/**
 * The `handoff` queue's consumer: tells the support team about new and escalated tickets in the
 * Slack support channel (with a Claim button) and through a signed webhook. A retried job skips
 * the targets it reached; the webhook's delivery id stays the same on every attempt, and after the
 * last attempt the delivery is marked failed with the error (the dead-letter list).
 */
export function startHandoffNotifier(options: HandoffNotifierOptions): Worker {
  const { tickets, webhooks, config, logger } = options;
  const slack =
    config.HANDOFF_SLACK_BOT_TOKEN && config.HANDOFF_SLACK_CHANNEL
      ? new SlackTicketNotifier({
          token: config.HANDOFF_SLACK_BOT_TOKEN,
          channel: config.HANDOFF_SLACK_CHANNEL,
          apiUrl: config.HANDOFF_SLACK_API_URL,
        })
      : null;
  const webhook =
    config.HANDOFF_WEBHOOK_URL && config.HANDOFF_WEBHOOK_SECRET
      ? { url: config.HANDOFF_WEBHOOK_URL, secret: config.HANDOFF_WEBHOOK_SECRET }
      : null;
  if (!slack && !webhook) logger.warn('hand-over notifier has no Slack channel and no webhook');

  async function notifySlack(ticket: Ticket, payload: HandoffNotifyJob, job: Job): Promise<void> {
    if (!slack) return;
    const done = (job.progress as Progress | number | undefined) ?? {};
    if (typeof done === 'object' && done.slack) return;
    // A ticket's first notice is posted once, whichever job (or replay) gets there first.
    if (payload.event === 'ticket.created' && ticket.notificationRef) return;
    const ref = await slack.post(
      ticket,
      payload.event,
      ticketUrl(config.CONSOLE_PUBLIC_URL, ticket.id),
    );
    if (payload.event === 'ticket.created') {
      await tickets.setNotificationRef(ticket.assistantId, ticket.id, ref);
    }
    await job.updateProgress({ ...(typeof done === 'object' ? done : {}), slack: ref });
  }

  async function notifyWebhook(ticket: Ticket, payload: HandoffNotifyJob, job: Job): Promise<void> {
    if (!webhook) return;
    const deliveryId = deliveryIdFor(payload);
    const body: TicketWebhookBody = {
      id: deliveryId,
      event: payload.event,
      ticket: {
        id: ticket.id,
        assistantId: ticket.assistantId,
        conversationId: ticket.conversationId,
        channel: ticket.channel,
        status: ticket.status,
        priority: ticket.priority,
        reason: ticket.reason,
        summary: ticket.summary,
        entities: ticket.entities,
        escalations: ticket.escalations,
        createdAt: ticket.createdAt.toISOString(),
        slaDueAt: ticket.slaDueAt?.toISOString() ?? null,
      },
      conversationUrl: ticketUrl(config.CONSOLE_PUBLIC_URL, ticket.id),
    };
    const delivery = await webhooks.ensure({
      id: deliveryId,
      assistantId: ticket.assistantId,
      ticketId: ticket.id,
      event: payload.event,
      url: webhook.url,
      payload: body,
    });
    if (delivery.status !== 'pending') return;
    try {
      await postWebhook({
        url: webhook.url,
        secret: webhook.secret,
        deliveryId,
        // The stored body: the same bytes on every retry, as first written.
        body: JSON.stringify(delivery.payload),
        timeoutMs: config.HANDOFF_WEBHOOK_TIMEOUT_MS,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = !(error instanceof WebhookError) || error.retryable;
      const final = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await webhooks.recordAttempt(ticket.assistantId, deliveryId, {
        delivered: false,
        error: message,
        final,
      });
      logger.warn(
        { deliveryId, ticketId: ticket.id, err: message, final },
        'ticket webhook not delivered',
      );
      throw retryable ? error : new UnrecoverableError(message);
    }
    await webhooks.recordAttempt(ticket.assistantId, deliveryId, { delivered: true });
  }

  async function notify(payload: HandoffNotifyJob, job: Job): Promise<JobStatus> {
    const ticket = await tickets.get(payload.assistantId, payload.ticketId);
    if (!ticket) return JobStatus.Skipped;
    if (ticket.status !== 'open' && payload.event === 'ticket.escalated') return JobStatus.Skipped;
    const failures: Error[] = [];
    // Each target on its own: Slack being down does not hold back the help desk, nor the reverse.
    const targets = { slack: slack && notifySlack, webhook: webhook && notifyWebhook };
    for (const [name, target] of Object.entries(targets)) {
      if (!target) continue;
      try {
        const attributes = { 'parley.ticket_id': ticket.id, 'parley.handoff.target': name };
        await withSpan(`notify ${name}`, { kind: SpanKind.CLIENT, attributes }, () =>
          target(ticket, payload, job),
        );
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const [first] = failures;
    if (first) {
      // Retried unless every failure is for good.
      if (failures.every((f) => f instanceof UnrecoverableError)) throw first;
      throw first instanceof UnrecoverableError ? new Error(first.message) : first;
    }
    return slack || webhook ? JobStatus.Done : JobStatus.Skipped;
  }

  return startWorker({
    queue: QueueName.Handoff,
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    handlers: { [JobName.HandoffNotify]: notify },
    onFailed: (job, error) => {
      const data = job?.data as HandoffNotifyJob | undefined;
      const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
      logger.error({ err: error.message, ticketId: data?.ticketId, final }, 'ticket notice failed');
      if (!final || !data || !webhook) return;
      // Dead letter, whatever ended the job (a crash mid-attempt included).
      void webhooks
        .markFailed(data.assistantId, deliveryIdFor(data), error.message)
        .catch((e: unknown) => logger.error({ err: e }, 'could not mark the webhook failed'));
    },
  });
}

/** The webhook delivery id of a notification job: stable across retries and replicas. */
export function deliveryIdFor(
  payload: Pick<HandoffNotifyJob, 'ticketId' | 'event' | 'escalation'>,
): string {
  return WebhookDeliveryRepository.idFor(payload.ticketId, payload.event, payload.escalation ?? 0);
}
