import { Gauge, type Registry } from 'prom-client';

import type { QueueName } from '@parley/contracts';
import type { QueueProducer } from '@parley/queue';

import type { Logger } from './logger';

/** The job states a queue's depth is reported in. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** A scrape never waits longer than this on Redis for a queue's counts. */
const COUNT_TIMEOUT_MS = 1_000;

/**
 * `parley_queue_jobs{queue,state}`, read on scrape with one getJobCounts per queue. A queue whose
 * counts cannot be read is logged and left out of that scrape (no stale depth), never an error.
 */
export function registerQueueDepths(
  registry: Registry,
  producer: QueueProducer,
  queues: readonly QueueName[],
  logger: Logger,
): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'parley_queue_jobs',
    help: 'Jobs in each queue this service produces or consumes, by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await withTimeout(
              producer.queue(queue).getJobCounts(...QUEUE_STATES),
              COUNT_TIMEOUT_MS,
            );
            for (const state of QUEUE_STATES) {
              // BullMQ counts a paused queue's jobs apart; they are still waiting.
              const extra = state === 'waiting' ? (counts.paused ?? 0) : 0;
              this.set({ queue, state }, (counts[state] ?? 0) + extra);
            }
          } catch (error) {
            for (const state of QUEUE_STATES) this.remove({ queue, state });
            logger.warn({ err: error, queue }, 'queue depth not read; left out of this scrape');
          }
        }),
      );
    },
  });
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
