import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { QueueName, jobIdFor, type PostMessageResponse } from '@parley/contracts';
import { queuePrefix } from '@parley/queue';
import {
  eventually,
  postTwilioWebhook,
  query,
  seedDemoKnowledge,
  signedIn,
  startApp,
  startFakeOtlpCollector,
  startFakeTwilio,
  startSuite,
  uniquePrefix,
  type CollectedSpan,
  type FakeOtlpCollector,
  type FakeTwilio,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const ACCOUNT_SID = `AC${'b2'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-auth-token-for-tracing';
const FROM = '+15005550006';
const PUBLIC_URL = 'https://parley.example.com';
const QUESTION = 'How long does a refund take to reach my card?';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The one span of `spans` that matches, with a readable failure listing what there was. */
function only(spans: CollectedSpan[], match: Partial<CollectedSpan>): CollectedSpan {
  const found = spans.filter((span) =>
    Object.entries(match).every(([key, value]) => span[key as keyof CollectedSpan] === value),
  );
  if (found.length !== 1) {
    const seen = spans.map(
      (s) => `${s.service} ${s.kind} ${s.name} ${s.spanId}<-${s.parentSpanId}`,
    );
    throw new Error(
      `expected one span ${JSON.stringify(match)}, found ${found.length} in:\n${seen.join('\n')}`,
    );
  }
  return found[0]!;
}

/** Every attribute value of every span, as text: what a trace backend would store. */
const attributeText = (spans: CollectedSpan[]) =>
  JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));

/** The inbound job a channel enqueued, as it sits in Redis (completed jobs are kept an hour). */
async function inboundJobData(
  redisUrl: string,
  prefix: string,
  jobId: string,
): Promise<Record<string, unknown> | undefined> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Inbound, { connection, prefix: queuePrefix(prefix) });
  try {
    return (await queue.getJob(jobId))?.data as Record<string, unknown> | undefined;
  } finally {
    await queue.close();
    await connection.quit();
  }
}

/**
 * OpenTelemetry traces from webhook to reply, exported over OTLP/HTTP to a fake collector: the
 * trace context travels in job data from the channel app through the orchestrator's turn and back
 * to the channel app's delivery, with ids and outcomes on the spans and never what was written.
 */
describe('tracing over OTLP', () => {
  let collector: FakeOtlpCollector;
  let twilio: FakeTwilio;
  let suite: Suite;
  let sms: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    collector = await startFakeOtlpCollector();
    twilio = await startFakeTwilio(ACCOUNT_SID, AUTH_TOKEN);
    suite = await startSuite({
      label: 'tracing',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    sms = await startApp('sms', {
      ...suite.env,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: twilio.url,
      SMS_PUBLIC_URL: PUBLIC_URL,
    });
  });
  afterAll(async () => {
    await sms?.stop();
    await suite?.stop();
    await twilio?.close();
    await collector?.close();
  });

  /** The spans of the trace `find` picks out, once `ready` says they have all arrived. */
  const traceOnce = (
    find: (spans: CollectedSpan[]) => string | undefined,
    ready: (spans: CollectedSpan[]) => boolean,
  ) =>
    eventually(
      () => {
        const traceId = find(collector.spans);
        const spans = traceId ? collector.trace(traceId) : [];
        return Promise.resolve(traceId && ready(spans) ? spans : undefined);
      },
      15_000,
      'the spans of the trace',
    );

  it('links an SMS webhook, the turn and its stages, and the Twilio send in one trace', async () => {
    const customer = `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    const sid = `SM${hex(16)}`;
    const webhook = await postTwilioWebhook(
      `${sms.url}/sms/inbound`,
      `${PUBLIC_URL}/sms/inbound`,
      AUTH_TOKEN,
      {
        MessageSid: sid,
        SmsMessageSid: sid,
        AccountSid: ACCOUNT_SID,
        From: customer,
        To: FROM,
        Body: QUESTION,
      },
    );
    expect(webhook.status).toBe(200);
    await eventually(
      () => Promise.resolve(twilio.messages.find((m) => m.to === customer)),
      15_000,
      'the SMS reply',
    );
    const [message] = await query<{ id: string }>(
      `SELECT m.id FROM messages m WHERE m.provider_message_id = $1`,
      [sid],
    );

    // webhook, intake, send inbound | process inbound, turn, 5 stages, send outbound.sms |
    // process outbound.sms, send sms
    const spans = await traceOnce(
      (all) =>
        all.find((s) => s.name === 'turn' && s.attributes['parley.message_id'] === message!.id)
          ?.traceId,
      (trace) => trace.length >= 13,
    );
    const webhookSpan = only(spans, { service: 'parley-sms', kind: 'server' });
    expect(webhookSpan).toMatchObject({ name: 'POST /sms/inbound', parentSpanId: '' });
    expect(webhookSpan.attributes).toMatchObject({
      'http.route': '/sms/inbound',
      'http.response.status_code': 200,
    });
    const intake = only(spans, { name: 'intake sms', parentSpanId: webhookSpan.spanId });
    expect(intake.attributes).toMatchObject({
      'parley.channel': 'sms',
      'parley.message_id': message!.id,
      'parley.outcome': 'accepted',
    });
    const enqueue = only(spans, { name: 'send inbound', parentSpanId: intake.spanId });
    expect(enqueue).toMatchObject({ service: 'parley-sms', kind: 'producer' });
    expect(enqueue.attributes).toMatchObject({
      'messaging.destination.name': 'inbound',
      'messaging.message.id': jobIdFor('sms', sid),
    });

    const consume = only(spans, { name: 'process inbound', parentSpanId: enqueue.spanId });
    expect(consume).toMatchObject({ service: 'parley-orchestrator', kind: 'consumer' });
    expect(consume.attributes).toMatchObject({
      'messaging.message.id': jobIdFor('sms', sid),
      'parley.conversation_id': expect.any(String) as unknown,
      'parley.outcome': 'done',
    });
    const turn = only(spans, { name: 'turn', parentSpanId: consume.spanId });
    expect(turn.attributes).toMatchObject({
      'parley.channel': 'sms',
      'parley.message_id': message!.id,
      'parley.conversation_id': consume.attributes['parley.conversation_id'],
      'parley.outcome': 'committed',
    });
    for (const stage of ['queue', 'context', 'respond', 'persist', 'dispatch']) {
      expect(only(spans, { name: `turn.${stage}` }).parentSpanId).toBe(turn.spanId);
    }
    const dispatch = only(spans, { name: 'turn.dispatch' });
    const reply = only(spans, { name: 'send outbound.sms', parentSpanId: dispatch.spanId });
    expect(reply).toMatchObject({ service: 'parley-orchestrator', kind: 'producer' });

    const deliver = only(spans, { name: 'process outbound.sms', parentSpanId: reply.spanId });
    expect(deliver).toMatchObject({ service: 'parley-sms', kind: 'consumer' });
    const twilioCall = only(spans, { name: 'send sms', parentSpanId: deliver.spanId });
    expect(twilioCall).toMatchObject({ service: 'parley-sms', kind: 'client', statusCode: 0 });
    expect(twilioCall.attributes).toMatchObject({ 'parley.outcome': 'sent' });

    // Ids and outcomes only: neither the customer's words nor their number reach a trace.
    const everything = attributeText(collector.spans);
    expect(everything).not.toContain('refund take');
    expect(everything).not.toContain(customer);
    expect(everything).not.toContain(customer.slice(1));
  });

  it('continues the trace a web API caller sent in its traceparent header', async () => {
    const traceId = hex(16);
    const callerSpanId = hex(8);
    const userId = `tracing-${randomUUID()}`;
    const idempotencyKey = randomUUID();
    const response = await fetch(`${suite.web.url}/api/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify({ ...signedIn(userId), text: QUESTION }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as PostMessageResponse;
    expect(body.replies[0]!.text).toMatch(/5 to 10 business days/);

    // The job carries the request's trace context, in W3C form.
    const job = await inboundJobData(
      suite.env.REDIS_URL!,
      suite.env.PARLEY_QUEUE_PREFIX!,
      jobIdFor('web', `key:${userId.length}:${userId}:${idempotencyKey}`),
    );
    expect(job?.trace).toEqual({
      traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)) as unknown,
    });

    const spans = await traceOnce(
      () => traceId,
      (trace) =>
        trace.some((s) => s.kind === 'server') &&
        trace.some((s) => s.name === 'process outbound.web'),
    );
    const request = only(spans, { service: 'parley-web', kind: 'server' });
    expect(request).toMatchObject({ name: 'POST /api/v1/messages', parentSpanId: callerSpanId });
    const turn = only(spans, { service: 'parley-orchestrator', name: 'turn' });
    expect(turn.attributes['parley.channel']).toBe('web');
    const delivery = only(spans, { service: 'parley-web', name: 'process outbound.web' });
    expect(delivery.attributes['parley.outcome']).toBe('done');
    expect(attributeText(spans)).not.toContain('refund take');
  });

  it('carries the trace into the tools app and back, with the tool outcome', async () => {
    const traceId = hex(16);
    const response = await fetch(`${suite.web.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${hex(8)}-01` },
      body: JSON.stringify({
        ...signedIn(`tracing-${randomUUID()}`),
        text: 'Where is my order ORD-10482?',
      }),
    });
    expect(((await response.json()) as PostMessageResponse).replies[0]!.text).toMatch(/on its way/);

    const spans = await traceOnce(
      () => traceId,
      (trace) => trace.some((s) => s.service === 'parley-tools'),
    );
    const call = only(spans, { name: 'tool get_order_status' });
    expect(call).toMatchObject({ service: 'parley-orchestrator', kind: 'client' });
    expect(call.attributes).toMatchObject({ 'parley.outcome': 'shipped' });
    expect(only(spans, { name: 'turn.respond' }).spanId).toBe(call.parentSpanId);
    const enqueue = only(spans, { name: 'send tools', parentSpanId: call.spanId });
    const run = only(spans, { name: 'process tools', parentSpanId: enqueue.spanId });
    expect(run).toMatchObject({ service: 'parley-tools', kind: 'consumer' });
    expect(run.attributes).toMatchObject({
      'parley.tool': 'get_order_status',
      'parley.outcome': 'shipped',
    });
    // The order number is the customer's argument: it stays out of the spans.
    expect(attributeText(spans)).not.toContain('10482');
  });

  it('sends nothing and writes no trace context when tracing is off', async () => {
    // OTEL_SDK_DISABLED wins over a configured endpoint: the same services, tracing off.
    const prefix = uniquePrefix('untraced');
    const env: Record<string, string> = {
      ...suite.env,
      PARLEY_QUEUE_PREFIX: prefix,
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'parley-untraced',
    };
    const web = await startApp('web', env);
    const orchestrator = await startApp('orchestrator', env);
    const userId = `untraced-${randomUUID()}`;
    const idempotencyKey = randomUUID();
    try {
      const response = await fetch(`${web.url}/api/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          traceparent: `00-${hex(16)}-${hex(8)}-01`,
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ ...signedIn(userId), text: QUESTION }),
      });
      expect(response.status).toBe(200);
      const job = await inboundJobData(
        env.REDIS_URL!,
        prefix,
        jobIdFor('web', `key:${userId.length}:${userId}:${idempotencyKey}`),
      );
      expect(job).toBeDefined();
      expect(job).not.toHaveProperty('trace');
    } finally {
      // A graceful stop exports whatever a process had buffered: after it, nothing more can come.
      await web.stop();
      await orchestrator.stop();
    }
    expect(collector.spans.filter((span) => span.service === 'parley-untraced')).toEqual([]);
  });
});
