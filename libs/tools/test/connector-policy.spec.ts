import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { codeToolSchema, httpToolSchema, type Tool } from '@parley/assistant';
import { Database, InboxRepository, ToolCallRepository } from '@parley/db';
import { query, testEnv } from '@parley/testing';

import { ToolRunner, type ToolRunnerOptions } from '../src';
import { ConnectorPolicy } from '../src';

/** One scripted answer of the stand-in API; `drop` closes the connection without one. */
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

interface ApiRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** performance.now() when the request arrived. */
  at: number;
}

describe(ConnectorPolicy.name, () => {
  let db: Database;
  const servers: http.Server[] = [];

  beforeAll(() => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
  });

  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  /**
   * A stand-in business API that answers with `replies` in turn, the last one repeating;
   * `answer()` scripts the replies from then on.
   */
  async function startApi(...replies: Reply[]) {
    let queue = replies;
    const requests: ApiRequest[] = [];
    const server = http.createServer((req, res) => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        at: performance.now(),
      });
      const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      requests,
      answer: (...next: Reply[]) => {
        queue = next;
      },
    };
  }

  /** The stand-in API's tools: a lookup (no side effects), a refund, and an idempotent hold. */
  const tools = (): Record<string, Tool> => ({
    lookup_order: httpToolSchema.parse({
      type: 'http',
      description: 'Look up an order.',
      side_effects: false,
      method: 'GET',
      url: '{config.API_URL}/orders/{order_id}',
      args: { order_id: { type: 'string' } },
      response: { status: '$.status' },
      outcomes: ['not_found'],
      status_outcomes: { 404: 'not_found' },
      timeout_ms: 3_000,
    }),
    refund: httpToolSchema.parse({
      type: 'http',
      description: 'Refund an amount.',
      side_effects: true,
      method: 'POST',
      url: '{config.API_URL}/refunds',
      args: { amount: { type: 'number' } },
      response: { refund_id: '$.id' },
    }),
    hold_stock: httpToolSchema.parse({
      type: 'http',
      description: 'Reserve stock; the API drops a repeated Idempotency-Key.',
      side_effects: true,
      idempotent: true,
      method: 'POST',
      url: '{config.API_URL}/holds',
      args: { sku: { type: 'string' } },
      response: { hold_id: '$.id' },
    }),
    flaky_code: codeToolSchema.parse({
      type: 'code',
      description: 'A code tool whose backend is down.',
      side_effects: true,
    }),
  });

  function runner(
    api: { url: string },
    options: Partial<ToolRunnerOptions> & { codeCalls?: { count: number } } = {},
  ) {
    const { codeCalls, ...overrides } = options;
    return new ToolRunner({
      tools: tools(),
      settings: { config: { API_URL: api.url }, secret: {} },
      code: {
        flaky_code: () => {
          if (codeCalls) codeCalls.count += 1;
          return Promise.reject(new Error('backend unreachable'));
        },
      },
      ledger: new ToolCallRepository(db),
      actor: 'test',
      ...overrides,
    });
  }

  /** A verified customer's stored message: each tool call needs its own (one per idempotency key). */
  async function message() {
    const result = await new InboxRepository(db).accept({
      assistantId: 'demo',
      channel: 'web',
      externalUserId: `connector-${randomUUID()}`,
      text: 'hello',
      messageId: randomUUID(),
      providerMessageId: `msg:${randomUUID()}`,
      verified: true,
    });
    if (result.kind !== 'accepted') throw new Error(result.kind);
    const [conversation] = await query<{ customer_id: string }>(
      'SELECT customer_id FROM conversations WHERE id = $1',
      [result.conversationId],
    );
    return { ...result, assistantId: 'demo', customerId: conversation!.customer_id };
  }

  const unavailable = /^connector http:\/\/127\.0\.0\.1:\d+ unavailable \(circuit open\)$/;

  it('retries an idempotent GET after a 503, with the same Idempotency-Key, and succeeds', async () => {
    const api = await startApi({ status: 503 }, { status: 200, body: { status: 'shipped' } });
    const m = await message();
    const result = await runner(api).run('lookup_order', { order_id: 'ORD-1' }, m);
    expect(result).toMatchObject({ outcome: 'success', fields: { status: 'shipped' } });
    expect(api.requests).toHaveLength(2);
    expect(api.requests.map((r) => r.idempotencyKey)).toEqual([
      `${m.messageId}:lookup_order`,
      `${m.messageId}:lookup_order`,
    ]);
  });

  it('retries a dropped connection of an idempotent tool', async () => {
    const api = await startApi('drop', { status: 200, body: { status: 'shipped' } });
    const result = await runner(api).run('lookup_order', { order_id: 'ORD-1' }, await message());
    expect(result.outcome).toBe('success');
    expect(api.requests).toHaveLength(2);
  });

  it('gives up after 3 attempts in all', async () => {
    const api = await startApi({ status: 502 });
    const result = await runner(api).run('lookup_order', { order_id: 'ORD-1' }, await message());
    expect(result.outcome).toBe('failure');
    expect(result.error).toMatch(/^HTTP 502/);
    expect(api.requests).toHaveLength(3);
  });

  it('calls a tool with side effects exactly once: a 503 is a failure, not a retry', async () => {
    const api = await startApi({ status: 503 }, { status: 200, body: { id: 'rf_1' } });
    const result = await runner(api).run('refund', { amount: 20 }, await message());
    expect(result.outcome).toBe('failure');
    expect(result.error).toMatch(/^HTTP 503 from POST http:\/\/127\.0\.0\.1:\d+\/refunds$/);
    expect(api.requests).toHaveLength(1);
  });

  it('retries a tool with side effects that is declared idempotent', async () => {
    const api = await startApi({ status: 429 }, { status: 201, body: { id: 'hold_1' } });
    const result = await runner(api).run('hold_stock', { sku: 'TENT-2' }, await message());
    expect(result).toMatchObject({ outcome: 'success', fields: { hold_id: 'hold_1' } });
    expect(api.requests).toHaveLength(2);
  });

  it('waits as long as Retry-After asks before retrying', async () => {
    const api = await startApi(
      { status: 503, headers: { 'retry-after': '1' } },
      { status: 200, body: { status: 'shipped' } },
    );
    const result = await runner(api).run('lookup_order', { order_id: 'ORD-1' }, await message());
    expect(result.outcome).toBe('success');
    const [first, second] = api.requests;
    // A few milliseconds of slack: timers fire on the event loop's millisecond clock.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(995);
    // …and not much longer (far from a stalled retry), even on a loaded machine.
    expect(second!.at - first!.at).toBeLessThan(5_000);
  });

  it('does not retry when Retry-After would overrun the call’s budget', async () => {
    const api = await startApi({ status: 503, headers: { 'retry-after': '30' } });
    const result = await runner(api).run('lookup_order', { order_id: 'ORD-1' }, await message());
    expect(result.outcome).toBe('failure');
    // Gave up at once instead of waiting the 30 s asked for.
    expect(result.durationMs).toBeLessThan(5_000);
    expect(api.requests).toHaveLength(1);
  });

  it('opens the breaker after N failures in a row, fails fast, and closes after a successful trial', async () => {
    const api = await startApi({ status: 500 });
    const tools = runner(api, { breaker: { threshold: 3, halfOpenAfterMs: 200 } });
    for (let i = 0; i < 3; i++) {
      const result = await tools.run('refund', { amount: 20 }, await message());
      expect(result.error).toMatch(/^HTTP 500/);
    }

    const refused = await tools.run('refund', { amount: 20 }, await message());
    expect(refused.outcome).toBe('failure');
    expect(refused.error).toMatch(unavailable);
    // An idempotent tool on the same origin is refused too, without a request.
    const lookup = await tools.run('lookup_order', { order_id: 'ORD-1' }, await message());
    expect(lookup.error).toMatch(unavailable);
    expect(api.requests).toHaveLength(3);

    await delay(250);
    api.answer({ status: 200, body: { id: 'rf_2' } });
    const trial = await tools.run('refund', { amount: 20 }, await message());
    expect(trial).toMatchObject({ outcome: 'success', fields: { refund_id: 'rf_2' } });
    api.answer({ status: 500 });
    const next = await tools.run('refund', { amount: 20 }, await message());
    // Closed again: the call reached the API (and one failure does not reopen it).
    expect(next.error).toMatch(/^HTTP 500/);
    expect(api.requests).toHaveLength(5);
  });

  it('never retries a declared outcome nor counts it against the connector', async () => {
    const api = await startApi({ status: 404 });
    const tools = runner(api, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      const result = await tools.run('lookup_order', { order_id: 'ORD-9' }, await message());
      expect(result.outcome).toBe('not_found');
    }
    expect(api.requests).toHaveLength(3);
  });

  it('keeps a breaker per code tool, named after it', async () => {
    const api = await startApi({ status: 200 });
    const codeCalls = { count: 0 };
    const tools = runner(api, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 }, codeCalls });
    for (let i = 0; i < 2; i++) {
      const result = await tools.run('flaky_code', {}, await message());
      expect(result.error).toBe('backend unreachable');
    }
    const refused = await tools.run('flaky_code', {}, await message());
    expect(refused.error).toBe('connector code:flaky_code unavailable (circuit open)');
    expect(codeCalls.count).toBe(2);
    // The HTTP API is another connector, unaffected.
    const refund = await tools.run('refund', { amount: 20 }, await message());
    expect(refund.outcome).toBe('success');
  });
});
