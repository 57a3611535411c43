import { AnthropicProvider, LlmError, type ChatMessage, type ToolSpec } from '../src';

import { fragments, type FakeLlmServer } from '@parley/testing';
import { startFakeAnthropic } from '@parley/testing';
import { anthropicAt } from './fakes/providers';

const ORDER_TOOL: ToolSpec = {
  name: 'get_order_status',
  description: 'Looks up an order by its number',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string', pattern: '^ORD-\\d+$' } },
    required: ['order_id'],
  },
};

const QUESTION: ChatMessage[] = [
  { role: 'system', content: 'You are the support assistant of a shop.' },
  { role: 'system', content: 'Answer in one sentence.' },
  { role: 'user', content: 'Where are my orders ORD-10482 and ORD-30991?' },
];

describe(AnthropicProvider.name, () => {
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('returns the text and usage, with the system prompt sent in `system`', async () => {
    fake.script({
      kind: 'text',
      text: 'Both shipped yesterday.',
      usage: { input: 58, output: 9 },
      model: 'claude-haiku-4-5-20251001',
    });
    const result = await anthropicAt(fake).complete({
      messages: QUESTION,
      maxTokens: 300,
      temperature: 0,
    });
    expect(result).toEqual({
      text: 'Both shipped yesterday.',
      toolCalls: [],
      usage: { inputTokens: 58, outputTokens: 9 },
      model: 'claude-haiku-4-5-20251001',
      provider: 'anthropic:claude-haiku-4-5',
      finishReason: 'stop',
    });
    expect(fake.requests[0]!.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      temperature: 0,
      system: 'You are the support assistant of a shop.\n\nAnswer in one sentence.',
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Where are my orders ORD-10482 and ORD-30991?' }],
        },
      ],
      stream: false,
    });
  });

  it('sends tools with their input_schema and parses a tool_use block into a tool call', async () => {
    fake.script({
      kind: 'tool_calls',
      text: 'Let me check.',
      calls: [{ id: 'toolu_01', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' }],
    });
    const result = await anthropicAt(fake).complete({
      messages: QUESTION,
      tools: [ORDER_TOOL],
      maxTokens: 300,
    });
    expect(result).toMatchObject({
      text: 'Let me check.',
      toolCalls: [
        { id: 'toolu_01', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
      ],
      finishReason: 'tool_calls',
    });
    expect(fake.requests[0]!.body.tools).toEqual([
      {
        name: 'get_order_status',
        description: 'Looks up an order by its number',
        input_schema: ORDER_TOOL.parameters,
      },
    ]);
  });

  it('streams text deltas in order and assembles text, input_json tool calls and usage', async () => {
    const text = 'Let me look both up.';
    fake.script({
      kind: 'tool_calls',
      text,
      calls: [
        { id: 'toolu_a', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
        { id: 'toolu_b', name: 'get_order_status', arguments: '{"order_id":"ORD-30991"}' },
      ],
      usage: { input: 140, output: 64 },
    });
    const deltas: string[] = [];
    const result = await anthropicAt(fake).stream(
      { messages: QUESTION, tools: [ORDER_TOOL], maxTokens: 300 },
      (delta) => deltas.push(delta),
    );
    expect(deltas).toEqual(fragments(text));
    expect(result).toEqual({
      text,
      toolCalls: [
        { id: 'toolu_a', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
        { id: 'toolu_b', name: 'get_order_status', arguments: '{"order_id":"ORD-30991"}' },
      ],
      usage: { inputTokens: 140, outputTokens: 64 },
      model: 'claude-haiku-4-5',
      provider: 'anthropic:claude-haiku-4-5',
      finishReason: 'tool_calls',
    });
    expect(fake.requests[0]!.body.stream).toBe(true);
  });

  it('sends the API key (as a bearer token, this SDK version), anthropic-version and the configured headers', async () => {
    fake.script({ kind: 'text', text: 'Hi.' });
    await anthropicAt(fake, {
      apiKey: 'sk-ant-live-123',
      headers: { 'x-gateway-key': 'gw-456' },
    }).complete({ messages: QUESTION, maxTokens: 50 });
    const headers = fake.requests[0]!.headers;
    expect(headers).toMatchObject({
      authorization: 'Bearer sk-ant-live-123',
      'x-gateway-key': 'gw-456',
    });
    expect(headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('sends tool results as tool_result blocks in the one user turn after the tool_use turn', async () => {
    fake.script({ kind: 'text', text: 'Both shipped.' });
    await anthropicAt(fake).complete({
      messages: [
        ...QUESTION,
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'toolu_a', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' },
            { id: 'toolu_b', name: 'get_order_status', arguments: '{"order_id":"ORD-30991"}' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_a', content: '{"status":"shipped"}' },
        { role: 'tool', toolCallId: 'toolu_b', content: '{"status":"shipped"}' },
      ],
      tools: [ORDER_TOOL],
      maxTokens: 300,
    });
    expect((fake.requests[0]!.body.messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          {
            type: 'tool_use',
            id: 'toolu_a',
            name: 'get_order_status',
            input: { order_id: 'ORD-10482' },
          },
          {
            type: 'tool_use',
            id: 'toolu_b',
            name: 'get_order_status',
            input: { order_id: 'ORD-30991' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: '{"status":"shipped"}' },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: '{"status":"shipped"}' },
        ],
      },
    ]);
  });

  it.each([
    [400, {}, { kind: 'bad_request', retryable: false }],
    [401, {}, { kind: 'auth', retryable: false }],
    [429, { 'retry-after': '3' }, { kind: 'rate_limit', retryable: true, retryAfterMs: 3000 }],
    [500, {}, { kind: 'server', retryable: true }],
    [529, {}, { kind: 'server', retryable: true }],
  ])('maps HTTP %i with headers %j to an LlmError %j', async (status, headers, expected) => {
    fake.script({ kind: 'status', status, headers });
    const error = await anthropicAt(fake)
      .complete({ messages: QUESTION, maxTokens: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ ...expected, status, provider: 'anthropic:claude-haiku-4-5' });
  });

  it('reports a stream that breaks off as a retryable network error', async () => {
    fake.script({ kind: 'cut', text: 'Your order shipped yesterday with UPS.', deltas: 2 });
    const deltas: string[] = [];
    await expect(
      anthropicAt(fake).stream({ messages: QUESTION, maxTokens: 50 }, (d) => deltas.push(d)),
    ).rejects.toMatchObject({ kind: 'network', retryable: true });
    expect(deltas).toEqual(['Your ', 'order ']);
  });
});
