import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import {
  openStream,
  postMessage,
  query,
  seedDemoKnowledge,
  signedIn,
  startFakeOpenAI,
  startSuite,
  type FakeLlmServer,
  type Suite,
} from '@parley/testing';

/** Turns answered by a model (a fake OpenAI server, reached by the official SDK) in the whole suite. */
describe('turns with a language model', () => {
  let suite: Suite;
  let llm: FakeLlmServer;

  beforeAll(async () => {
    await seedDemoKnowledge();
    llm = await startFakeOpenAI();
    suite = await startSuite({
      label: 'llm',
      env: {
        LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
        OPENAI_BASE_URL: `${llm.url}/v1`,
        OPENAI_API_KEY: 'sk-test-key',
        LLM_ROUTE: 'all',
        LLM_MAX_RETRIES: '0',
      },
    });
  });
  afterAll(async () => {
    await suite?.stop();
    await llm?.close();
  });
  beforeEach(() => llm.reset());

  const say = (userId: string, text: string, conversationId?: string) =>
    postMessage<PostMessageResponse>(suite.web.url, {
      ...signedIn(userId),
      text,
      ...(conversationId ? { conversationId } : {}),
    });

  it("runs the model's tool call in the tools app and records the model and its tokens", async () => {
    llm.script(
      {
        kind: 'tool_calls',
        calls: [{ id: 'c1', name: 'get_order_status', arguments: '{"order_id":"ORD-10482"}' }],
        usage: { input: 700, output: 12 },
      },
      { kind: 'text', text: 'ORD-10482 is on its way with UPS.', usage: { input: 800, output: 9 } },
    );
    const res = await say(`u-${randomUUID()}`, 'Hey, could you tell me how ORD-10482 is doing?');
    expect(res.body.replies.map((r) => r.text)).toEqual(['ORD-10482 is on its way with UPS.']);
    const [message] = await query<{
      id: string;
      engine: string;
      tokens_in: number;
      tokens_out: number;
    }>(
      `SELECT id, engine, tokens_in, tokens_out FROM messages
       WHERE conversation_id = $1 AND role = 'user'`,
      [res.body.conversationId],
    );
    expect(message).toMatchObject({
      engine: 'llm:openai:gpt-4o-mini',
      tokens_in: 1500,
      tokens_out: 21,
    });
    const calls = await query<{ tool: string; status: string }>(
      'SELECT tool, status FROM tool_calls WHERE message_id = $1',
      [message!.id],
    );
    expect(calls).toEqual([{ tool: 'get_order_status', status: 'finished' }]);
    expect(suite.shop.requests.at(-1)).toMatchObject({ path: '/orders/ORD-10482' });
  });

  it('streams the reply to a WebSocket client word by word, in order, then sends it whole', async () => {
    const userId = `u-${randomUUID()}`;
    // A first message opens the conversation to connect to.
    llm.script({ kind: 'text', text: 'Hello! How can I help?' });
    const first = await say(userId, 'Hello');
    const stream = await openStream(suite.web.url, first.body.conversationId, signedIn(userId));
    // Facts from the membership passage: a made-up one would stop the draft (grounding).
    const answer =
      'Plus members pay $49 a year for free express shipping and early access to new collections; Pro adds free repairs.';
    llm.script({ kind: 'text', text: answer });

    const res = await say(
      userId,
      'What do members get that others do not?',
      first.body.conversationId,
    );
    const replies = await stream.until((e) => e.type === 'replies');
    stream.close();

    expect(res.body.replies.map((r) => r.text)).toEqual([answer]);
    const turn = stream.events.filter((e) => 'inReplyTo' in e && e.inReplyTo === replies.inReplyTo);
    expect(turn[0]).toMatchObject({ type: 'typing' });
    const deltas = turn.filter((e) => e.type === 'delta');
    // Many fragments, numbered in the order they were written, all before the finished reply.
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toBe(answer);
    expect(stream.events.indexOf(replies)).toBeGreaterThan(stream.events.indexOf(deltas.at(-1)!));
  });

  it('never sends personal data to the model: not in the message, the history or the prompt', async () => {
    llm.script(
      { kind: 'text', text: 'Thanks, I have noted how to reach you.' },
      { kind: 'text', text: 'Members get free shipping on every order.' },
    );
    const userId = `u-${randomUUID()}`;
    const first = await say(
      userId,
      'My name is Jane Roe, mail me at jane.roe@example.com or call +1 415 555 0132. My IBAN is DE89 3704 0044 0532 0130 00.',
    );
    await say(userId, 'Do members get anything for free?', first.body.conversationId);
    expect(llm.requests.length).toBe(2);
    const bodies = llm.requests.map((r) => JSON.stringify(r.body));
    for (const original of ['jane.roe@example.com', '555 0132', '5550132', 'DE89', '0532 0130']) {
      for (const body of bodies) expect(body).not.toContain(original);
    }
    // What it gets instead: placeholders, in the history too.
    expect(bodies[1]).toContain('[EMAIL_1]');
  });

  it('answers with the built-in engine when the model is down, without an error message', async () => {
    llm.script({ kind: 'status', status: 503 });
    const res = await say(`u-${randomUUID()}`, 'How long does a refund take to reach my card?');
    expect(res.status).toBe(200);
    expect(res.body.replies[0]!.text).toMatch(/5 to 10 business days/);
    const [message] = await query<{ engine: string }>(
      `SELECT engine FROM messages WHERE conversation_id = $1 AND role = 'user'`,
      [res.body.conversationId],
    );
    expect(message!.engine).toBe('builtin');
  });
});
