import { setTimeout as delay } from 'node:timers/promises';

import { LlmError, ResilientProvider, type ChatRequest, type ResilienceOptions } from '../src';

import { fragments, type FakeLlmServer } from '@parley/testing';
import { startFakeAnthropic } from '@parley/testing';
import { startFakeOpenAI } from '@parley/testing';
import { anthropicAt, openAIAt } from './fakes/providers';

const REQUEST: ChatRequest = {
  messages: [{ role: 'user', content: 'Where is my order ORD-10482?' }],
  maxTokens: 100,
};

/** Short waits so the suite stays fast; each test overrides what it exercises. */
const FAST: Partial<ResilienceOptions> = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  baseDelayMs: 20,
  maxDelayMs: 100,
  maxRetryAfterMs: 2_000,
  breaker: { consecutiveFailures: 10, halfOpenAfterMs: 10_000 },
};

describe(ResilientProvider.name, () => {
  let openai: FakeLlmServer;
  let anthropic: FakeLlmServer;

  beforeAll(async () => {
    openai = await startFakeOpenAI();
    anthropic = await startFakeAnthropic();
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  const resilient = (options: Partial<ResilienceOptions> = {}) =>
    new ResilientProvider(openAIAt(openai), { ...FAST, ...options });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    openai.script(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      { kind: 'text', text: 'It shipped.' },
    );
    const result = await resilient().complete(REQUEST);
    expect(result.text).toBe('It shipped.');
    expect(openai.requests).toHaveLength(2);
    const [first, second] = openai.requests;
    // Retry-After is whole seconds; allow for timer granularity below it.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('honours retry-after-ms, the precise form', async () => {
    openai.script(
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '150' } },
      { kind: 'text', text: 'It shipped.' },
    );
    const waits: number[] = [];
    await resilient({ onRetry: ({ delayMs }) => waits.push(delayMs) }).complete(REQUEST);
    expect(waits).toEqual([150]);
    expect(openai.requests[1]!.receivedAt - openai.requests[0]!.receivedAt).toBeGreaterThanOrEqual(
      140,
    );
  });

  it('does not wait for a Retry-After longer than the cap, so a chain can move on', async () => {
    openai.script({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    await expect(resilient({ maxRetryAfterMs: 2_000 }).complete(REQUEST)).rejects.toMatchObject({
      kind: 'rate_limit',
      retryAfterMs: 30_000,
    });
    expect(openai.requests).toHaveLength(1);
  });

  it('retries a 500 with jittered exponential backoff until it succeeds', async () => {
    openai.script(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      { kind: 'text', text: 'It shipped.' },
    );
    const waits: { attempt: number; delayMs: number; kind: string }[] = [];
    const result = await resilient({
      baseDelayMs: 40,
      onRetry: ({ attempt, delayMs, error }) => waits.push({ attempt, delayMs, kind: error.kind }),
    }).complete(REQUEST);
    expect(result.text).toBe('It shipped.');
    expect(openai.requests).toHaveLength(3);
    expect(waits.map(({ attempt, kind }) => ({ attempt, kind }))).toEqual([
      { attempt: 1, kind: 'server' },
      { attempt: 2, kind: 'server' },
    ]);
    // Full jitter: anywhere from 0 up to base * 2^(attempt-1).
    expect(waits[0]!.delayMs).toBeLessThan(40);
    expect(waits[1]!.delayMs).toBeLessThan(80);
  });

  it('gives up after maxAttempts with the last error', async () => {
    openai.script(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503 },
    );
    await expect(resilient({ maxAttempts: 3 }).complete(REQUEST)).rejects.toMatchObject({
      kind: 'server',
      status: 503,
    });
    expect(openai.requests).toHaveLength(3);
  });

  it.each([400, 401])('does not retry a %i', async (status) => {
    openai.script({ kind: 'status', status }, { kind: 'text', text: 'unused' });
    await expect(resilient().complete(REQUEST)).rejects.toMatchObject({ retryable: false, status });
    expect(openai.requests).toHaveLength(1);
  });

  it('times out a hanging server with kind timeout, on every attempt', async () => {
    openai.script({ kind: 'hang' }, { kind: 'hang' });
    await expect(
      resilient({ timeoutMs: 150, maxAttempts: 2 }).complete(REQUEST),
    ).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    expect(openai.requests).toHaveLength(2);
  });

  it('passes on the caller cancelling, without retrying', async () => {
    openai.script({ kind: 'hang' }, { kind: 'text', text: 'unused' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('customer left')), 100);
    await expect(resilient().complete({ ...REQUEST, signal: controller.signal })).rejects.toThrow(
      'customer left',
    );
    expect(openai.requests).toHaveLength(1);
  });

  it('opens the circuit after consecutive failures, then fails fast without calling the server', async () => {
    const provider = resilient({
      maxAttempts: 1,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 10_000 },
    });
    openai.script(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      { kind: 'text', text: 'unused' },
    );
    for (let i = 0; i < 3; i++) {
      await expect(provider.complete(REQUEST)).rejects.toMatchObject({ kind: 'server' });
    }
    expect(provider.circuit).toBe('open');
    const error = await provider.complete(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'circuit_open', retryable: false });
    expect(openai.requests).toHaveLength(3);
  });

  it('lets one call through after halfOpenAfterMs and closes the circuit when it succeeds', async () => {
    const provider = resilient({
      maxAttempts: 1,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 100 },
    });
    openai.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    await provider.complete(REQUEST).catch(() => undefined);
    await provider.complete(REQUEST).catch(() => undefined);
    expect(provider.circuit).toBe('open');
    await delay(150);
    openai.script({ kind: 'text', text: 'Back again.' });
    await expect(provider.complete(REQUEST)).resolves.toMatchObject({ text: 'Back again.' });
    expect(provider.circuit).toBe('closed');
  });

  it('does not count bad requests against the circuit', async () => {
    const provider = resilient({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 } });
    openai.script({ kind: 'status', status: 400 }, { kind: 'status', status: 400 });
    await provider.complete(REQUEST).catch(() => undefined);
    await provider.complete(REQUEST).catch(() => undefined);
    expect(provider.circuit).toBe('closed');
  });

  it('retries a stream that failed before its first delta, showing the text once', async () => {
    const text = 'Your order shipped yesterday.';
    openai.script({ kind: 'status', status: 500 }, { kind: 'text', text });
    const deltas: string[] = [];
    const result = await resilient().stream(REQUEST, (d) => deltas.push(d));
    expect(result.text).toBe(text);
    expect(deltas).toEqual(fragments(text));
    expect(openai.requests).toHaveLength(2);
  });

  it('does not retry a stream that broke off after deltas, so no text is shown twice', async () => {
    const provider = new ResilientProvider(anthropicAt(anthropic), FAST);
    anthropic.script(
      { kind: 'cut', text: 'Your order shipped yesterday with UPS.', deltas: 3 },
      { kind: 'text', text: 'unused' },
    );
    const deltas: string[] = [];
    const error = await provider.stream(REQUEST, (d) => deltas.push(d)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'network', retryable: false });
    expect(deltas).toEqual(['Your ', 'order ', 'shipped ']);
    expect(anthropic.requests).toHaveLength(1);
  });
});
