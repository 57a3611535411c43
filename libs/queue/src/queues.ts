import { SpanKind } from '@opentelemetry/api';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

import {
  JOB_OPTIONS,
  JOB_SCHEMAS,
  JobName,
  QUEUE_JOBS,
  QueueName,
  SCHEMA_VERSION,
  type JobOf,
} from '@parley/contracts';

import { injectJobTrace, jobAttributes, withSpan } from './tracing';

/**
 * Every key of every queue lives under `{prefix}`: the braces are a Redis Cluster hash tag, so all
 * of a queue's keys share one slot as BullMQ's Lua scripts require.
 */
export function queuePrefix(prefix: string): string {
  return `{${prefix}}`;
}

/**
 * The Redis pub/sub channel of the web channel's stream events (replies, typing, model tokens);
 * every web replica subscribes, so any of them can serve any conversation.
 */
export function webStreamChannel(prefix: string): string {
  return `${queuePrefix(prefix)}:stream:web`;
}

export interface EnqueueOptions {
  /** Dedupe key: a second add with the same id is ignored while the first job is kept. */
  jobId?: string;
  delay?: number;
}

/** Typed producers for Parley's queues; payloads are validated before they leave the process. */
export class QueueProducer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  async add<N extends JobName>(
    queue: QueueName,
    name: N,
    payload: Omit<JobOf<N>, 'schemaVersion'>,
    options: EnqueueOptions = {},
  ): Promise<Job> {
    if (!QUEUE_JOBS[queue].includes(name)) {
      throw new Error(`job ${name} does not travel on queue ${queue}`);
    }
    const attributes = jobAttributes(queue, name, payload, options.jobId);
    return withSpan(`send ${queue}`, { kind: SpanKind.PRODUCER, attributes }, async () => {
      const data = JOB_SCHEMAS[name].parse({
        ...payload,
        schemaVersion: SCHEMA_VERSION,
        trace: payload.trace ?? injectJobTrace(),
      });
      return this.queue(queue).add(name, data, { ...JOB_OPTIONS[name], ...options });
    });
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: queuePrefix(this.prefix) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
