import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';

import {
  JOB_OPTIONS,
  JobName,
  OUTBOUND_QUEUE,
  QueueName,
  SCHEMA_VERSION,
  jobIdFor,
} from '@parley/contracts';
import type {
  DeliveryRepository,
  OutboxRepository,
  TicketRepository,
  TurnRepository,
} from '@parley/db';
import {
  CONFIG,
  LOGGER,
  PRODUCER,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';
import { JobStatus, startWorker, type QueueProducer } from '@parley/queue';

import type { OrchestratorConfig } from '../config';
import { TicketOpener } from '../handoff/ticket-opener';
import { DELIVERIES, OUTBOX, TICKETS, TURNS } from '../tokens';
import { TurnRunner } from '../turns/turn-runner';

const SWEEP_BATCH = 200;
/** Longer than any channel's send call: a reply still `sending` after this was interrupted. */
const SENDING_STALE_MS = 5 * 60_000;
const CLOSE_BATCH = 1_000;
/** New tickets' notifications are re-queued (deduped by job id) for this long after opening. */
const NOTIFY_RECOVERY_MS = 10 * 60_000;

/**
 * The safety net under at-least-once delivery: on a schedule (one run at a time across all
 * replicas), it resumes turns a crashed process left pending and re-dispatches replies that were
 * committed but never handed to their channel; less often, it closes conversations gone quiet.
 */
@Injectable()
export class MaintenanceWorker implements OnApplicationBootstrap {
  constructor(
    private readonly runner: TurnRunner,
    private readonly shutdown: ShutdownCoordinator,
    private readonly handoff: TicketOpener,
    @Inject(TICKETS) private readonly tickets: TicketRepository,
    @Inject(TURNS) private readonly turns: TurnRepository,
    @Inject(OUTBOX) private readonly outbox: OutboxRepository,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(PRODUCER) private readonly producer: QueueProducer,
    @Inject(CONFIG) private readonly config: OrchestratorConfig,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.queue(QueueName.Maintenance).upsertJobScheduler(
      'sweep',
      { every: this.config.SWEEP_INTERVAL_MS },
      {
        name: JobName.Sweep,
        data: { schemaVersion: SCHEMA_VERSION },
        opts: JOB_OPTIONS[JobName.Sweep],
      },
    );
    await this.producer.queue(QueueName.Maintenance).upsertJobScheduler(
      'close-idle',
      { every: this.config.CLOSE_IDLE_INTERVAL_MS },
      {
        name: JobName.CloseIdle,
        data: { schemaVersion: SCHEMA_VERSION },
        opts: JOB_OPTIONS[JobName.CloseIdle],
      },
    );
    const worker = startWorker({
      queue: QueueName.Maintenance,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: 1,
      handlers: {
        [JobName.Sweep]: () => this.sweep(),
        [JobName.CloseIdle]: () => this.closeIdle(),
      },
      onFailed: (_job, error) => this.logger.error({ err: error }, 'sweep failed'),
    });
    this.shutdown.register('work', () => worker.close());
  }

  async sweep(): Promise<JobStatus> {
    const staleAfter = this.config.SWEEP_STALE_AFTER_MS;
    const pending = await this.turns.conversationsWithStalePending(staleAfter, SWEEP_BATCH);
    let resumed = 0;
    for (const { assistantId, conversationId } of pending) {
      if ((await this.runner.drain(assistantId, conversationId)) === 'drained') resumed += 1;
    }
    const undelivered = await this.outbox.undelivered(staleAfter, SWEEP_BATCH);
    for (const turn of undelivered) {
      const key = turn.inReplyTo ?? turn.replies[0]!.id;
      // Same job id as the first dispatch: a job still waiting in the queue is not doubled.
      await this.producer.add(OUTBOUND_QUEUE[turn.channel], JobName.OutboundMessage, turn, {
        jobId: jobIdFor('turn', key),
      });
    }
    // Never resent: the customer may have it. Failed, with the reason, for a person to see.
    const abandoned = await this.deliveries.abandonStale(SENDING_STALE_MS);
    const { opened, escalated } = await this.sweepTickets(staleAfter);
    if (resumed || undelivered.length || abandoned || opened) {
      this.logger.warn(
        { resumed, redispatched: undelivered.length, abandoned, ticketsOpened: opened },
        'sweeper recovered work',
      );
    }
    if (escalated) this.logger.info({ escalated }, 'unclaimed tickets escalated past their SLA');
    return resumed || undelivered.length || abandoned || opened || escalated
      ? JobStatus.Done
      : JobStatus.Skipped;
  }

  /**
   * Hand-over tickets: opens the ones a crash kept from being opened after their turn, re-queues
   * new tickets' notifications (a no-op while the first job is kept), and raises tickets left
   * unclaimed past their SLA, notifying the team again.
   */
  private async sweepTickets(staleAfter: number): Promise<{ opened: number; escalated: number }> {
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    let opened = 0;
    for (const conversationId of await this.tickets.handoffsWithoutTicket(
      assistantId,
      staleAfter,
      SWEEP_BATCH,
    )) {
      if (await this.handoff.open(assistantId, conversationId)) opened += 1;
    }
    for (const ticketId of await this.tickets.recentlyOpened(
      assistantId,
      NOTIFY_RECOVERY_MS,
      staleAfter,
    )) {
      await this.handoff.notify({ id: ticketId, assistantId, escalations: 0 }, 'ticket.created');
    }
    const overdue = await this.tickets.escalateOverdue(
      assistantId,
      this.handoff.slaMinutes,
      SWEEP_BATCH,
    );
    for (const ticket of overdue) await this.handoff.notify(ticket, 'ticket.escalated');
    return { opened, escalated: overdue.length };
  }

  async closeIdle(): Promise<JobStatus> {
    let closed = 0;
    for (;;) {
      const batch = await this.turns.closeIdle(this.config.CONVERSATION_IDLE_MINUTES, CLOSE_BATCH);
      closed += batch;
      if (batch < CLOSE_BATCH) break;
    }
    if (closed) this.logger.info({ closed }, 'idle conversations closed');
    return closed ? JobStatus.Done : JobStatus.Skipped;
  }
}
