import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { JobName, QueueName } from '@parley/contracts';
import { CONFIG, LOGGER, REDIS_BLOCKING, ShutdownCoordinator, type Logger } from '@parley/platform';
import { JobStatus, startWorker } from '@parley/queue';

import type { OrchestratorConfig } from '../config';
import { TurnRunner } from '../turns/turn-runner';

/** Consumes the inbound queue: each job wakes its conversation's turn runner. */
@Injectable()
export class InboundWorker implements OnApplicationBootstrap {
  constructor(
    private readonly runner: TurnRunner,
    private readonly shutdown: ShutdownCoordinator,
    @Inject(CONFIG) private readonly config: OrchestratorConfig,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const worker = startWorker({
      queue: QueueName.Inbound,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: this.config.ORCHESTRATOR_CONCURRENCY,
      lockDurationMs: this.config.JOB_LOCK_MS,
      stalledIntervalMs: this.config.JOB_STALLED_INTERVAL_MS,
      handlers: {
        [JobName.InboundMessage]: async (job) => {
          const result = await this.runner.drain(job.assistantId, job.conversationId);
          return result === 'drained' ? JobStatus.Done : JobStatus.Skipped;
        },
      },
      onFailed: (job, error) =>
        this.logger.error(
          { err: error, jobId: job?.id, attempts: job?.attemptsMade },
          'inbound job failed',
        ),
    });
    // Closing waits for in-flight turns to finish before the connections go.
    this.shutdown.register('work', () => worker.close());
  }
}
