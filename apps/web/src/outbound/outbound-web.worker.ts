import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { JobName, QueueName, type OutboundMessageJob } from '@parley/contracts';
import type { OutboxRepository } from '@parley/db';
import { CONFIG, LOGGER, REDIS_BLOCKING, ShutdownCoordinator, type Logger } from '@parley/platform';
import { JobStatus, startWorker } from '@parley/queue';

import type { WebConfig } from '../config';
import { StreamHub } from '../stream/stream-hub';
import { OUTBOX } from '../tokens';

/**
 * Delivers replies to web customers: publishes them to every web replica, then marks them sent.
 * A retried job may publish again; clients drop replies whose id they already have.
 */
@Injectable()
export class OutboundWebWorker implements OnApplicationBootstrap {
  constructor(
    private readonly hub: StreamHub,
    private readonly shutdown: ShutdownCoordinator,
    @Inject(OUTBOX) private readonly outbox: OutboxRepository,
    @Inject(CONFIG) private readonly config: WebConfig,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const worker = startWorker({
      queue: QueueName.OutboundWeb,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: this.config.WEB_OUTBOUND_CONCURRENCY,
      handlers: { [JobName.OutboundMessage]: (job) => this.deliver(job) },
      onFailed: (job, error) => {
        const data = job?.data as OutboundMessageJob | undefined;
        const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger.error({ err: error, jobId: job?.id, final }, 'web delivery failed');
        // Dead letter: the reply stays in the transcript, marked failed with the reason.
        if (final && data?.replies) {
          void this.outbox
            .markFailed(
              data.assistantId,
              data.replies.map((r) => r.id),
              error.message,
            )
            .catch((e: unknown) => this.logger.error({ err: e }, 'could not mark delivery failed'));
        }
      },
    });
    this.shutdown.register('work', () => worker.close());
  }

  private async deliver(job: OutboundMessageJob): Promise<JobStatus> {
    await this.hub.publish({
      type: 'replies',
      conversationId: job.conversationId,
      ...(job.inReplyTo ? { inReplyTo: job.inReplyTo } : {}),
      status: job.status,
      replies: job.replies,
    });
    const marked = await this.outbox.markSent(
      job.assistantId,
      job.replies.map((r) => r.id),
    );
    return marked.length > 0 ? JobStatus.Done : JobStatus.Skipped;
  }
}
