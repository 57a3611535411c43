import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';

import { JobName, QueueName } from '@parley/contracts';
import {
  CONFIG,
  LOGGER,
  METRICS,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';
import { startWorker } from '@parley/queue';
import type { ToolRunner } from '@parley/tools';

import type { ToolsConfig } from './config';
import { TOOL_RUNNER } from './tokens';

/**
 * Consumes the tools queue: each job is one tool call of a turn, and its return value is the
 * result the waiting orchestrator resumes the turn with.
 */
@Injectable()
export class ToolWorker implements OnApplicationBootstrap {
  private readonly calls: Counter<'tool' | 'outcome'>;

  constructor(
    @Inject(TOOL_RUNNER) private readonly runner: ToolRunner,
    private readonly shutdown: ShutdownCoordinator,
    @Inject(CONFIG) private readonly config: ToolsConfig,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.calls = new Counter({
      name: 'parley_tool_calls_total',
      help: 'Tool calls run, by tool and outcome (success, failure or a declared outcome)',
      labelNames: ['tool', 'outcome'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    const worker = startWorker({
      queue: QueueName.Tools,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: this.config.TOOLS_CONCURRENCY,
      lockDurationMs: this.config.JOB_LOCK_MS,
      stalledIntervalMs: this.config.JOB_STALLED_INTERVAL_MS,
      handlers: {
        [JobName.ToolCall]: async (job) => {
          const result = await this.runner.run(job.tool, job.args, {
            assistantId: job.assistantId,
            conversationId: job.conversationId,
            customerId: job.customerId,
            messageId: job.messageId,
          });
          // Names come from job payloads: an undeclared one is not allowed its own series.
          const tool = this.runner.has(job.tool) ? job.tool : 'unknown';
          this.calls.inc({ tool, outcome: result.outcome });
          if (result.outcome === 'failure') {
            this.logger.warn(
              { tool: job.tool, conversationId: job.conversationId, error: result.error },
              'tool call failed',
            );
          }
          return result;
        },
      },
      onFailed: (job, error) =>
        this.logger.error({ err: error, jobId: job?.id }, 'tool job failed'),
    });
    // Closing waits for calls in flight: a business API is never left with a half-made call.
    this.shutdown.register('work', () => worker.close());
  }
}
