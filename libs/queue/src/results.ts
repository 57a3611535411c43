import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import type { JobName, JobOf, QueueName } from '@parley/contracts';

import { queuePrefix, type EnqueueOptions, type QueueProducer } from './queues';

/**
 * The job did not finish in time. `withdrawn`: it had not started and was removed, so it never
 * will; otherwise it is running and may still finish (its idempotency key keeps it to once).
 */
export class JobWaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly withdrawn: boolean,
  ) {
    super(message);
  }
}

/**
 * Enqueues a job and waits for its return value, for work another service does while a turn
 * waits (a tool call). One QueueEvents listener per queue, on a connection of its own (it blocks).
 */
export class JobResults {
  private readonly events = new Map<QueueName, QueueEvents>();
  private readonly connections: Redis[] = [];

  constructor(
    private readonly producer: QueueProducer,
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  async run<N extends JobName>(
    queue: QueueName,
    name: N,
    payload: Omit<JobOf<N>, 'schemaVersion'>,
    options: EnqueueOptions & { timeoutMs: number },
  ): Promise<unknown> {
    const events = await this.listener(queue);
    const { timeoutMs, ...enqueue } = options;
    const job = await this.producer.add(queue, name, payload, enqueue);
    try {
      return await job.waitUntilFinished(events, timeoutMs);
    } catch (error) {
      if (error instanceof Error && /timed out before finishing/.test(error.message)) {
        // A job no worker has taken is withdrawn: nothing happens later that the caller has
        // already given up on. A locked (running) job cannot be removed, and finishes.
        const withdrawn = await job.remove().then(
          () => true,
          () => false,
        );
        throw new JobWaitTimeoutError(
          `no result from ${queue} within ${timeoutMs} ms` +
            (withdrawn ? ' (withdrawn before it started)' : ' (still running)'),
          withdrawn,
        );
      }
      throw error;
    }
  }

  private async listener(queue: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queue);
    if (!events) {
      const connection = this.connection.duplicate();
      this.connections.push(connection);
      events = new QueueEvents(queue, { connection, prefix: queuePrefix(this.prefix) });
      this.events.set(queue, events);
    }
    await events.waitUntilReady();
    return events;
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((events) => events.close()));
    await Promise.all(this.connections.map((connection) => connection.quit().catch(() => {})));
  }
}
