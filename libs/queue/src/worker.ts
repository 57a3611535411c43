import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

import {
  JOB_SCHEMAS,
  JobName,
  JobTraceSchema,
  QUEUE_JOBS,
  QueueName,
  SCHEMA_VERSION,
  type JobOf,
  type ToolCallResult,
} from '@parley/contracts';

import { queuePrefix } from './queues';
import { extractJobTrace, failSpan, jobAttributes, tracer } from './tracing';

/** What a handler reports: expected no-ops are a status, not an exception. */
export enum JobStatus {
  Done = 'done',
  Skipped = 'skipped',
}

/** What a handler resolves with: a status, or for a tool call the result the caller waits for. */
export type JobResultOf<N extends JobName> = N extends JobName.ToolCall
  ? ToolCallResult
  : JobStatus;
export type JobHandler<N extends JobName> = (
  payload: JobOf<N>,
  job: Job,
  /** The worker's lock token: what `job.moveToDelayed` needs to postpone the job. */
  token?: string,
) => Promise<JobResultOf<N>>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export interface WorkerOptions {
  queue: QueueName;
  handlers: JobHandlers;
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Lease of an active job; a crashed worker's job is retried once it lapses. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onFailed?: (job: Job | undefined, error: Error) => void;
}

/** Raised when payloads of a newer schema reach an older consumer: retried, for a newer replica. */
export class UnsupportedSchemaVersionError extends Error {}

/**
 * A process must not start with a job name it cannot handle, or with two handlers for one.
 * The handlers object makes "two" impossible; this rejects missing and foreign ones.
 */
export function assertHandlersCover(queue: QueueName, handlers: JobHandlers): void {
  const expected = QUEUE_JOBS[queue];
  const given = Object.keys(handlers) as JobName[];
  const missing = expected.filter((name) => !handlers[name]);
  const foreign = given.filter((name) => !expected.includes(name));
  if (missing.length || foreign.length) {
    throw new Error(
      `queue ${queue}: ` +
        [
          missing.length ? `no handler for ${missing.join(', ')}` : '',
          foreign.length ? `handlers for jobs not on this queue: ${foreign.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
    );
  }
}

/** Validates the payload against the job's schema; malformed jobs fail for good, not retried. */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobOf<N> {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new UnsupportedSchemaVersionError(
      `payload schema version ${version} is newer than this service reads (${SCHEMA_VERSION})`,
    );
  }
  const parsed = JOB_SCHEMAS[name].safeParse(data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid ${name} payload: ${parsed.error.message}`);
  }
  return parsed.data as JobOf<N>;
}

/**
 * Runs a job in a consumer span continuing its producer's trace (the job's `trace` field), with
 * its ids, attempt and outcome; a postponed job is not an error.
 */
async function processInSpan<R>(
  queue: QueueName,
  job: Job,
  run: (payload: JobOf<JobName>) => Promise<R>,
): Promise<R> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const parent = extractJobTrace(JobTraceSchema.safeParse(data.trace).data);
  const attributes = {
    ...jobAttributes(queue, job.name, data, job.id),
    'messaging.operation.type': 'process',
    'parley.job.attempt': job.attemptsMade + 1,
  };
  const span = tracer.startSpan(
    `process ${queue}`,
    { kind: SpanKind.CONSUMER, attributes },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), () =>
      run(parsePayload(job.name as JobName, job.data)),
    );
    const outcome = outcomeOf(result);
    span.setAttribute('parley.outcome', outcome);
    // A tool call that failed is a result, not a thrown error: still an error on the trace.
    if (outcome === 'failure') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    return result;
  } catch (error) {
    if (error instanceof DelayedError) {
      span.setAttribute('parley.outcome', 'postponed');
    } else {
      span.setAttribute('parley.outcome', 'failed');
      failSpan(span, error);
    }
    throw error;
  } finally {
    span.end();
  }
}

/** A handler's result as a span's outcome: its status, or a tool call's outcome. */
function outcomeOf(result: unknown): string {
  if (typeof result === 'string') return result;
  const outcome = (result as { outcome?: unknown } | null)?.outcome;
  return typeof outcome === 'string' ? outcome : 'done';
}

export function startWorker(options: WorkerOptions): Worker {
  assertHandlersCover(options.queue, options.handlers);
  const worker = new Worker(
    options.queue,
    async (job: Job, token?: string) => {
      const name = job.name as JobName;
      const handler = options.handlers[name] as JobHandler<JobName> | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
      return processInSpan(options.queue, job, (payload) => handler(payload, job, token));
    },
    {
      connection: options.connection,
      prefix: queuePrefix(options.prefix),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      autorun: true,
    },
  );
  if (options.onFailed) worker.on('failed', options.onFailed);
  return worker;
}
