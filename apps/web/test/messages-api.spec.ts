import { randomUUID } from 'node:crypto';

import WebSocket from 'ws';

import type {
  ApiError,
  PostMessageAccepted,
  PostMessageResponse,
  TranscriptResponse,
} from '@parley/contracts';
import {
  eventually,
  getJson,
  openStream,
  postMessage,
  query,
  seedDemoKnowledge,
  startSuite,
  type Suite,
} from '@parley/testing';

const user = () => `user-${randomUUID()}`;

async function messageCount(): Promise<number> {
  const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
  return row!.n;
}

describe('web channel API', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'web-api' });
  });

  afterAll(() => suite?.stop());

  describe('POST /api/v1/messages', () => {
    it('answers a question from the knowledge base and stores both sides of the turn', async () => {
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: user(),
        text: 'How long does a refund take to reach my card?',
      });

      expect(res.status).toBe(200);
      expect(res.body.status).toBe('bot');
      expect(res.body.replies).toHaveLength(1);
      expect(res.body.replies[0]!.text).toMatch(/5 to 10 business days/);
      expect(res.body.replies[0]!.text).toMatch(/Source: Refunds/);

      const transcript = await getJson<TranscriptResponse>(
        `${suite.web.url}/api/v1/conversations/${res.body.conversationId}/messages`,
      );
      expect(transcript.status).toBe(200);
      expect(transcript.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(transcript.body.messages[1]!.id).toBe(res.body.replies[0]!.id);
      expect(transcript.body.messages[1]!.inReplyTo).toBe(transcript.body.messages[0]!.id);
    });

    it('says what it can help with when a question is outside what it knows', async () => {
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: user(),
        text: 'What is the airspeed velocity of an unladen swallow?',
      });

      expect(res.status).toBe(200);
      expect(res.body.replies[0]!.text).toMatch(/outside what I know/);
      expect(res.body.replies[0]!.text).toMatch(/orders, returns, refunds/);
    });

    it('records per-stage latency on the answered message', async () => {
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: user(),
        text: 'Do you ship to Canada?',
      });
      const [row] = await query<{
        timings: Record<string, number>;
        latency_ms: number;
        intent: string;
      }>(
        `SELECT m.timings, m.latency_ms, m.intent FROM messages m
         JOIN messages r ON r.in_reply_to_id = m.id WHERE r.id = $1`,
        [res.body.replies[0]!.id],
      );
      // Stages before the commit are stored with it; persist and dispatch go to Prometheus only.
      expect(Object.keys(row!.timings).sort()).toEqual(['context', 'queue', 'respond']);
      expect(Object.values(row!.timings).every((ms) => ms >= 0)).toBe(true);
      expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
      expect(row!.intent).toBe('shipping_info');
    });

    it('marks every reply sent once delivered, when many customers are answered at once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          postMessage<PostMessageResponse>(suite.web.url, {
            userId: user(),
            text: 'Do you ship to Canada?',
          }),
        ),
      );
      const replyIds = answers.flatMap((res) => res.body.replies.map((reply) => reply.id));
      expect(replyIds).toHaveLength(40);
      // The channel marks a reply sent just after the customer has it.
      const statuses = await eventually(async () => {
        const rows = await query<{ delivery_status: string }>(
          'SELECT delivery_status FROM messages WHERE id = ANY($1::uuid[])',
          [replyIds],
        );
        return rows.every((row) => row.delivery_status === 'sent') ? rows : undefined;
      });
      expect(statuses).toHaveLength(40);
    });

    it('continues the same conversation when conversationId is given', async () => {
      const userId = user();
      const first = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        text: 'Hello',
      });
      const second = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        text: 'What payment methods do you accept?',
        conversationId: first.body.conversationId,
      });
      expect(second.body.conversationId).toBe(first.body.conversationId);
      const transcript = await getJson<TranscriptResponse>(
        `${suite.web.url}/api/v1/conversations/${first.body.conversationId}/messages`,
      );
      expect(transcript.body.messages).toHaveLength(4);
    });

    it('answers 202 with ids at once when wait=false, and the reply follows', async () => {
      const res = await postMessage<PostMessageAccepted>(
        suite.web.url,
        { userId: user(), text: 'How do I reset my password?' },
        { wait: false },
      );
      expect(res.status).toBe(202);
      expect(res.body.messageId).toEqual(expect.any(String));

      const reply = await eventually(async () => {
        const t = await getJson<TranscriptResponse>(
          `${suite.web.url}/api/v1/conversations/${res.body.conversationId}/messages`,
        );
        return t.body.messages.find((m) => m.inReplyTo === res.body.messageId);
      });
      expect(reply.text).toMatch(/email address/);
    });

    it('runs one turn for a request retried with the same Idempotency-Key', async () => {
      const userId = user();
      const key = randomUUID();
      const body = { userId, text: 'Is express shipping free?' };
      const [a, b] = await Promise.all([
        postMessage<PostMessageResponse>(suite.web.url, body, { idempotencyKey: key }),
        postMessage<PostMessageResponse>(suite.web.url, body, { idempotencyKey: key }),
      ]);
      const c = await postMessage<PostMessageResponse>(suite.web.url, body, {
        idempotencyKey: key,
      });

      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      expect(b.body.replies[0]!.id).toBe(a.body.replies[0]!.id);
      expect(c.body.replies[0]!.id).toBe(a.body.replies[0]!.id);
      const transcript = await getJson<TranscriptResponse>(
        `${suite.web.url}/api/v1/conversations/${a.body.conversationId}/messages`,
      );
      expect(transcript.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    });

    it('keeps apart users whose id and key would read alike when joined', async () => {
      const base = user();
      // "<base>:y" with key "z" and "<base>" with key "y:z" both join to "<base>:y:z".
      const a = await postMessage<PostMessageResponse>(
        suite.web.url,
        { userId: `${base}:y`, text: 'Hi' },
        { idempotencyKey: 'z' },
      );
      const b = await postMessage<PostMessageResponse>(
        suite.web.url,
        { userId: base, text: 'Hi' },
        { idempotencyKey: 'y:z' },
      );
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.body.conversationId).not.toBe(a.body.conversationId);
    });

    it('keeps idempotency keys of different users apart', async () => {
      const key = randomUUID();
      const a = await postMessage<PostMessageResponse>(
        suite.web.url,
        { userId: user(), text: 'Hi' },
        { idempotencyKey: key },
      );
      const b = await postMessage<PostMessageResponse>(
        suite.web.url,
        { userId: user(), text: 'Hi' },
        { idempotencyKey: key },
      );
      expect(b.body.conversationId).not.toBe(a.body.conversationId);
    });
  });

  describe('bad input gets a clear 4xx and stores nothing', () => {
    const cases: [string, unknown, number, string][] = [
      ['a missing userId', { text: 'hi' }, 400, 'invalid_request'],
      ['a missing text', { userId: 'u' }, 400, 'invalid_request'],
      ['a number as text', { userId: 'u', text: 42 }, 400, 'invalid_request'],
      ['an empty text', { userId: 'u', text: '   ' }, 400, 'invalid_request'],
      [
        'a text over 4,000 characters',
        { userId: 'u', text: 'x'.repeat(4_001) },
        400,
        'invalid_request',
      ],
      ['an unknown field', { userId: 'u', text: 'hi', admin: true }, 400, 'invalid_request'],
      [
        'a malformed conversationId',
        { userId: 'u', text: 'hi', conversationId: 'nope' },
        400,
        'invalid_request',
      ],
      ['an array body', [{ userId: 'u', text: 'hi' }], 400, 'invalid_request'],
      ['broken JSON', '{"userId": "u", "text": ', 400, 'invalid_json'],
    ];

    it.each(cases)('rejects %s', async (_name, body, status, code) => {
      const before = await messageCount();
      const res = await postMessage<ApiError>(suite.web.url, body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(await messageCount()).toBe(before);
    });

    it('names the offending field in the message', async () => {
      const res = await postMessage<ApiError>(suite.web.url, { userId: 'u', text: 42 });
      expect(res.body.error.message).toMatch(/^text: /);
    });

    it('rejects a 1 MB body with 413 before parsing it', async () => {
      const before = await messageCount();
      const res = await postMessage<ApiError>(suite.web.url, {
        userId: 'u',
        text: 'x'.repeat(1024 * 1024),
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await messageCount()).toBe(before);
    });

    it('rejects invalid UTF-8 instead of storing replacement characters', async () => {
      const before = await messageCount();
      const bytes = Buffer.concat([
        Buffer.from('{"userId":"u","text":"caf'),
        Buffer.from([0xc3, 0x28]), // an invalid two-byte sequence
        Buffer.from('"}'),
      ]);
      const response = await fetch(`${suite.web.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bytes,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ApiError).error.code).toBe('invalid_utf8');
      expect(await messageCount()).toBe(before);
    });

    it('rejects a body that is not JSON with 415', async () => {
      const response = await fetch(`${suite.web.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as ApiError).error.code).toBe('unsupported_media_type');
    });

    it('answers 404 for an unknown conversation, and stores nothing', async () => {
      const before = await messageCount();
      const userId = user();
      const res = await postMessage<ApiError>(suite.web.url, {
        userId,
        text: 'hello again',
        conversationId: randomUUID(),
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('conversation_not_found');
      expect(await messageCount()).toBe(before);
      const identities = await query('SELECT 1 FROM channel_identities WHERE external_id = $1', [
        userId,
      ]);
      expect(identities).toHaveLength(0);
    });

    it("does not let one user write into another user's conversation", async () => {
      const owner = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: user(),
        text: 'Hi',
      });
      const res = await postMessage<ApiError>(suite.web.url, {
        userId: user(),
        text: 'let me in',
        conversationId: owner.body.conversationId,
      });
      expect(res.status).toBe(404);
    });

    it('rejects a malformed Idempotency-Key and an unknown wait value', async () => {
      const key = await postMessage<ApiError>(
        suite.web.url,
        { userId: 'u', text: 'hi' },
        { idempotencyKey: 'has space' },
      );
      expect(key.status).toBe(400);
      expect(key.body.error.code).toBe('idempotency_key_invalid');
      const response = await fetch(`${suite.web.url}/api/v1/messages?wait=maybe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'u', text: 'hi' }),
      });
      expect(response.status).toBe(400);
    });

    it('answers 404 with the error shape for unknown transcripts and routes', async () => {
      const unknown = await getJson<ApiError>(
        `${suite.web.url}/api/v1/conversations/${randomUUID()}/messages`,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('conversation_not_found');
      const route = await getJson<ApiError>(`${suite.web.url}/api/v1/nowhere`);
      expect(route.status).toBe(404);
      expect(route.body.error.code).toBe('not_found');
    });
  });

  describe('live replies over WebSocket', () => {
    it('pushes the replies of a conversation to a connected client', async () => {
      const userId = user();
      const first = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        text: 'Hello',
      });
      const stream = await openStream(suite.web.url, first.body.conversationId);

      const sent = await postMessage<PostMessageAccepted>(
        suite.web.url,
        { userId, text: 'What does the Pro plan cost?', conversationId: first.body.conversationId },
        { wait: false },
      );
      const event = await stream.until((e) => e.type === 'replies');
      stream.close();

      // The assistant was seen typing before the reply came.
      expect(stream.events[0]).toMatchObject({ type: 'typing', inReplyTo: sent.body.messageId });
      expect(event).toMatchObject({
        type: 'replies',
        conversationId: first.body.conversationId,
        inReplyTo: sent.body.messageId,
      });
      expect(JSON.stringify(event)).toMatch(/\$99 a year/);
    });

    it('refuses to stream an unknown conversation', async () => {
      const socket = new WebSocket(
        `${suite.web.url.replace('http', 'ws')}/api/v1/stream?conversationId=${randomUUID()}`,
      );
      const status = await new Promise<number>((resolve) =>
        socket
          .once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
          .once('error', () => resolve(-1)),
      );
      expect(status).toBe(404);
    });
  });

  describe('operations endpoints', () => {
    it('reports liveness, readiness and Prometheus metrics', async () => {
      expect((await getJson(`${suite.web.url}/health/live`)).status).toBe(200);
      const ready = await getJson<{ checks: Record<string, string> }>(
        `${suite.web.url}/health/ready`,
      );
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ redis: 'ok', postgres: 'ok' });
      const metrics = await (await fetch(`${suite.web.url}/metrics`)).text();
      expect(metrics).toMatch(/parley_http_request_duration_seconds_bucket/);
      const orchestratorMetrics = await (
        await fetch(`${suite.orchestrators[0]!.url}/metrics`)
      ).text();
      expect(orchestratorMetrics).toMatch(/parley_turn_stage_seconds_bucket\{[^}]*stage="respond"/);
    });
  });
});
