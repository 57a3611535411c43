import { LlmError, OpenAIProvider, type ChatMessage, type ToolSpec } from '../src';

import { closedPort, fragments, type FakeLlmServer } from '@parley/testing';
import { startFakeOpenAI } from '@parley/testing';
import { openAIAt } from './fakes/providers';

const ORDER_TOOL: ToolSpec = {
  name: 'get_order_status',
  description: 'Looks up an order by its number',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string', pattern: '^ORD-\\d+$' } },
    required: ['order_id'],
    additionalProperties: false,
  },
};

const QUESTION: ChatMessage[] = [
  { role: 'system', content: 'You are the support assistant of a shop.' },
  { role: 'user', content: 'Where is my order ORD-10482?' },
];

describe(OpenAIProvider.name, () => {
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('returns the text, the usage and the model the server reports', async () => {
    fake.script({
      kind: 'text',
      text: 'It shipped yesterday.',
      usage: { input: 42, output: 6 },
      model: 'gpt-4o-mini-2024-07-18',
    });
    const result = await openAIAt(fake).complete({
      messages: QUESTION,
      maxTokens: 200,
      temperature: 0.2,
    });
    expect(result).toEqual({
      text: 'It shipped yesterday.',
      toolCalls: [],
      usage: { inputTokens: 42, outputTokens: 6 },
      model: 'gpt-4o-mini-2024-07-18',
      provider: 'openai:gpt-4o-mini',
      finishReason: 'stop',
    });
    expect(fake.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are the support assistant of a shop.' },
        { role: 'user', content: 'Where is my order ORD-10482?' },
      ],
      max_completion_tokens: 200,
      temperature: 0.2,
      stream: false,
    });
  });

  it('sends tools as JSON Schema functions and parses the tool call with its arguments', async () => {
    fake.script({
      kind: 'tool_calls',
      calls: [{ id: 'call_1', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' }],
    });
    const result = await openAIAt(fake).complete({
      messages: QUESTION,
      tools: [ORDER_TOOL],
      maxTokens: 200,
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'call_1', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
    ]);
    expect(fake.requests[0]!.body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_order_status',
          description: 'Looks up an order by its number',
          parameters: ORDER_TOOL.parameters,
        },
      },
    ]);
  });

  it('streams text deltas in order and assembles text, split tool calls and usage', async () => {
    const text = 'Let me look that up for you.';
    fake.script({
      kind: 'tool_calls',
      text,
      calls: [
        { id: 'call_a', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
        { id: 'call_b', name: 'get_order_status', arguments: '{"order_id":"ORD-30991"}' },
      ],
      usage: { input: 120, output: 31 },
    });
    const deltas: string[] = [];
    const result = await openAIAt(fake).stream(
      { messages: QUESTION, tools: [ORDER_TOOL], maxTokens: 200 },
      (delta) => deltas.push(delta),
    );
    expect(deltas).toEqual(fragments(text));
    expect(result).toMatchObject({
      text,
      toolCalls: [
        { id: 'call_a', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
        { id: 'call_b', name: 'get_order_status', arguments: '{"order_id":"ORD-30991"}' },
      ],
      usage: { inputTokens: 120, outputTokens: 31 },
      finishReason: 'tool_calls',
    });
    expect(fake.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the API key as a bearer token, and the configured headers', async () => {
    fake.script({ kind: 'text', text: 'Hi.' });
    await openAIAt(fake, {
      apiKey: 'sk-live-123',
      headers: { 'x-gateway-key': 'gw-456', 'openai-organization': 'org-parley' },
    }).complete({ messages: QUESTION, maxTokens: 50 });
    expect(fake.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer sk-live-123',
      'x-gateway-key': 'gw-456',
      'openai-organization': 'org-parley',
    });
  });

  it("sends the assistant's tool calls and their results back as tool messages", async () => {
    fake.script({ kind: 'text', text: 'Your order shipped yesterday with UPS.' });
    await openAIAt(fake).complete({
      messages: [
        ...QUESTION,
        {
          role: 'assistant',
          toolCalls: [
            { id: 'call_1', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"status":"shipped","carrier":"UPS"}' },
      ],
      tools: [ORDER_TOOL],
      maxTokens: 200,
    });
    expect((fake.requests[0]!.body.messages as unknown[]).slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped","carrier":"UPS"}' },
    ]);
  });

  it('sends max_tokens instead when configured for an older compatible server', async () => {
    fake.script({ kind: 'text', text: 'Hi.' });
    await openAIAt(fake, { maxTokensParam: 'max_tokens' }).complete({
      messages: QUESTION,
      maxTokens: 64,
    });
    expect(fake.requests[0]!.body).toMatchObject({ max_tokens: 64 });
    expect(fake.requests[0]!.body).not.toHaveProperty('max_completion_tokens');
  });

  it.each([
    [400, {}, { kind: 'bad_request', retryable: false }],
    [401, {}, { kind: 'auth', retryable: false }],
    [403, {}, { kind: 'auth', retryable: false }],
    [429, { 'retry-after': '2' }, { kind: 'rate_limit', retryable: true, retryAfterMs: 2000 }],
    [429, { 'retry-after-ms': '150' }, { kind: 'rate_limit', retryable: true, retryAfterMs: 150 }],
    [500, {}, { kind: 'server', retryable: true }],
    [503, {}, { kind: 'server', retryable: true }],
  ])('maps HTTP %i with headers %j to an LlmError %j', async (status, headers, expected) => {
    fake.script({ kind: 'status', status, headers });
    const error = await openAIAt(fake)
      .complete({ messages: QUESTION, maxTokens: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ ...expected, status, provider: 'openai:gpt-4o-mini' });
  });

  it('times out with kind timeout when the server never answers', async () => {
    fake.script({ kind: 'hang' });
    await expect(
      openAIAt(fake, { timeoutMs: 200 }).complete({ messages: QUESTION, maxTokens: 50 }),
    ).rejects.toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const port = await closedPort();
    await expect(
      openAIAt(`http://127.0.0.1:${port}`).complete({ messages: QUESTION, maxTokens: 50 }),
    ).rejects.toMatchObject({ kind: 'network', retryable: true });
  });
});
