import { askedOneOf, type RecordedRequest } from './fake-llm-server';

const request = (messages: unknown[]): RecordedRequest => ({
  method: 'POST',
  path: '/v1/chat/completions',
  headers: {},
  body: { messages },
  receivedAt: 0,
});

describe(askedOneOf.name, () => {
  const ours = askedOneOf(new Set(['Do you ship to Canada?']));

  it("takes a request whose latest question is the test's, in OpenAI's shape", () => {
    expect(ours(request([{ role: 'user', content: 'Do you ship to Canada?' }]))).toBe(true);
    expect(ours(request([{ role: 'user', content: 'Hello' }]))).toBe(false);
    expect(ours(request([]))).toBe(false);
  });

  it("looks past Anthropic's tool results to the question, in text blocks", () => {
    const question = { role: 'user', content: [{ type: 'text', text: 'Do you ship to Canada?' }] };
    const toolResult = {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 't1', content: 'shipped' }],
    };
    expect(ours(request([question, { role: 'assistant', content: [] }, toolResult]))).toBe(true);
    expect(
      ours(request([{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }, toolResult])),
    ).toBe(false);
  });
});
