import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

import type { JobTrace } from '@parley/contracts';

/**
 * Spans, and trace context through the queues: the producer writes the W3C `traceparent` of its
 * span into the job's `trace` field, the worker continues the trace from it. With no tracer
 * provider registered (OTLP not configured) every call here is the API's no-op and no field is
 * written. The SDK is set up by @parley/platform (startTracing).
 */
export const tracer = trace.getTracer('parley');

/** The active span's context as job data; undefined when nothing is being traced. */
export function injectJobTrace(active: Context = context.active()): JobTrace | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  if (!carrier.traceparent) return undefined;
  return {
    traceparent: carrier.traceparent,
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/** The context a job's spans continue: its producer's span, or a new trace without one. */
export function extractJobTrace(jobTrace: JobTrace | undefined): Context {
  if (!jobTrace) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { ...jobTrace });
}

/** Ids a payload may carry that are safe on a span: never text, replies, arguments or names. */
const ID_FIELDS = {
  channel: 'parley.channel',
  assistantId: 'parley.assistant_id',
  conversationId: 'parley.conversation_id',
  messageId: 'parley.message_id',
  inReplyTo: 'parley.message_id',
  ticketId: 'parley.ticket_id',
  event: 'parley.handoff.event',
  tool: 'parley.tool',
} as const;

/** The span attributes of a job: queue, job name and id, and the ids its payload carries. */
export function jobAttributes(
  queue: string,
  name: string,
  payload: object,
  jobId?: string,
): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'bullmq',
    'messaging.destination.name': queue,
    'parley.job.name': name,
  };
  if (jobId) attributes['messaging.message.id'] = jobId;
  for (const [field, key] of Object.entries(ID_FIELDS)) {
    const value = (payload as Record<string, unknown>)[field];
    if (typeof value === 'string') attributes[key] = value;
  }
  return attributes;
}

/** Ends a span for a failure: the exception recorded, status ERROR. */
export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Runs `work` in a new active span, recording a thrown error; the span ends either way. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
