import {
  AllProvidersFailedError,
  FallbackChain,
  LlmError,
  ResilientProvider,
  type ChatRequest,
  type ResilienceOptions,
} from '../src';

import { closedPort, fragments, type FakeLlmServer } from '@parley/testing';
import { startFakeAnthropic } from '@parley/testing';
import { startFakeOpenAI } from '@parley/testing';
import { anthropicAt, openAIAt } from './fakes/providers';

const REQUEST: ChatRequest = {
  messages: [{ role: 'user', content: 'Can I still return my order ORD-30991?' }],
  maxTokens: 100,
};

const FAST: Partial<ResilienceOptions> = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 };

describe(FallbackChain.name, () => {
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

  it('answers from the second provider when the first is down, after its retries', async () => {
    openai.script({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    anthropic.script({ kind: 'text', text: 'Yes, within 30 days.' });
    const chain = new FallbackChain([
      new ResilientProvider(openAIAt(openai), FAST),
      new ResilientProvider(anthropicAt(anthropic), FAST),
    ]);
    const result = await chain.complete(REQUEST);
    expect(result).toMatchObject({
      text: 'Yes, within 30 days.',
      provider: 'anthropic:claude-haiku-4-5',
    });
    expect(openai.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('streams from the second provider when the first refuses the connection', async () => {
    const port = await closedPort();
    const text = 'Yes, within 30 days of delivery.';
    anthropic.script({ kind: 'text', text });
    const chain = new FallbackChain([openAIAt(`http://127.0.0.1:${port}`), anthropicAt(anthropic)]);
    const deltas: string[] = [];
    const result = await chain.stream(REQUEST, (d) => deltas.push(d));
    expect(deltas).toEqual(fragments(text));
    expect(result).toMatchObject({ text, provider: 'anthropic:claude-haiku-4-5' });
  });

  it('throws AllProvidersFailedError listing each provider and its error when all fail', async () => {
    const port = await closedPort();
    anthropic.script({ kind: 'status', status: 401 });
    const chain = new FallbackChain([
      openAIAt(`http://127.0.0.1:${port}`, { model: 'gpt-4o' }),
      anthropicAt(anthropic),
    ]);
    const error = await chain.complete(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    const { failures } = error as AllProvidersFailedError;
    expect(failures.map((f) => f.provider)).toEqual([
      'openai:gpt-4o',
      'anthropic:claude-haiku-4-5',
    ]);
    expect(failures.map((f) => (f.error as LlmError).kind)).toEqual(['network', 'auth']);
    expect((error as Error).message).toMatch(/openai:gpt-4o: .*; anthropic:claude-haiku-4-5: /);
  });

  it('moves on at once from a provider whose circuit is open', async () => {
    const first = new ResilientProvider(openAIAt(openai), {
      maxAttempts: 1,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000 },
    });
    openai.script({ kind: 'status', status: 500 });
    await first.complete(REQUEST).catch(() => undefined);
    const error = await new FallbackChain([first])
      .complete(REQUEST)
      .catch((e: unknown) => e as AllProvidersFailedError);
    expect((error as AllProvidersFailedError).failures[0]!.error).toMatchObject({
      kind: 'circuit_open',
    });
    anthropic.script({ kind: 'text', text: 'Yes.' });
    const result = await new FallbackChain([first, anthropicAt(anthropic)]).complete(REQUEST);
    expect(result.text).toBe('Yes.');
    expect(openai.requests).toHaveLength(1);
  });

  it('does not move on once a stream has shown text: the next answer would repeat it', async () => {
    openai.script({ kind: 'cut', text: 'You can return it until Friday.', deltas: 2 });
    anthropic.script({ kind: 'text', text: 'unused' });
    const chain = new FallbackChain([openAIAt(openai), anthropicAt(anthropic)]);
    const deltas: string[] = [];
    const error = await chain.stream(REQUEST, (d) => deltas.push(d)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'network' });
    expect(deltas).toEqual(['You ', 'can ']);
    expect(anthropic.requests).toHaveLength(0);
  });
});
