import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import { JobName, JOB_SCHEMAS, SCHEMA_VERSION } from '@parley/contracts';

import { extractJobTrace, injectJobTrace, jobAttributes } from './tracing';

const remote: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

describe('job trace context', () => {
  it('writes nothing while no propagator is registered (tracing not configured)', () => {
    expect(injectJobTrace(trace.setSpanContext(context.active(), remote))).toBeUndefined();
  });

  describe('with the W3C propagator', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      propagation.disable();
      context.disable();
    });

    it('carries the span context through job data and back', () => {
      const written = injectJobTrace(trace.setSpanContext(context.active(), remote));
      expect(written).toEqual({ traceparent: `00-${remote.traceId}-${remote.spanId}-01` });
      const read = trace.getSpanContext(extractJobTrace(written));
      expect(read).toMatchObject({ ...remote, isRemote: true });
    });

    it('starts a new trace from a job without context or with a malformed one', () => {
      expect(trace.getSpanContext(extractJobTrace(undefined))).toBeUndefined();
      expect(trace.getSpanContext(extractJobTrace({ traceparent: 'nonsense' }))).toBeUndefined();
    });
  });

  it('never fails a job for its trace field: a malformed one is dropped, an absent one is fine', () => {
    const job = {
      schemaVersion: SCHEMA_VERSION,
      channel: 'sms',
      assistantId: 'demo',
      conversationId: 'c1',
      messageId: 'm1',
      receivedAt: 0,
    };
    const schema = JOB_SCHEMAS[JobName.InboundMessage];
    expect(schema.parse(job)).not.toHaveProperty('trace.traceparent');
    expect(schema.parse({ ...job, trace: 42 }).trace).toBeUndefined();
    expect(schema.parse({ ...job, trace: { traceparent: '00-a-b-01' } }).trace).toEqual({
      traceparent: '00-a-b-01',
    });
  });

  it('puts ids on spans, never text, replies or tool arguments', () => {
    const attributes = jobAttributes(
      'outbound.sms',
      JobName.OutboundMessage,
      {
        channel: 'sms',
        conversationId: 'c1',
        inReplyTo: 'm1',
        replies: [{ id: 'r1', role: 'assistant', text: 'Your refund is on its way' }],
        args: { phone: '+14155550100' },
      },
      'turn.m1',
    );
    expect(attributes).toEqual({
      'messaging.system': 'bullmq',
      'messaging.destination.name': 'outbound.sms',
      'messaging.message.id': 'turn.m1',
      'parley.job.name': 'outbound.message',
      'parley.channel': 'sms',
      'parley.conversation_id': 'c1',
      'parley.message_id': 'm1',
    });
  });
});
