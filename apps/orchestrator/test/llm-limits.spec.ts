import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import {
  askedOneOf,
  postMessage,
  query,
  seedDemoKnowledge,
  startFakeOpenAI,
  startSuite,
  type FakeLlmServer,
  type Suite,
} from '@parley/testing';

const ADMIN_TOKEN = 'admin-token-for-llm-limits';

/**
 * What a model may cost and when its answers are reused, through the whole suite: budgets per
 * conversation, customer and assistant, and the cache of FAQ answers with its invalidation.
 * The tests share one suite and run in order: the last spends the assistant's daily budget.
 */
describe('model budgets and the answer cache', () => {
  let suite: Suite;
  let llm: FakeLlmServer;

  beforeAll(async () => {
    await seedDemoKnowledge();
    llm = (await startFakeOpenAI()).only(askedOneOf(sent));
    suite = await startSuite({
      label: 'llm-limits',
      env: {
        LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
        OPENAI_BASE_URL: `${llm.url}/v1`,
        OPENAI_API_KEY: 'sk-test-key',
        LLM_ROUTE: 'all',
        LLM_MAX_RETRIES: '0',
        LLM_CACHE_TTL_S: '3600',
        LLM_CONVERSATION_MAX_TOKENS: '1000',
        LLM_CUSTOMER_DAILY_TOKENS: '1500',
        LLM_ASSISTANT_DAILY_USD: '1',
        // One dollar per million tokens either way: cost = tokens / 1e6.
        LLM_PRICES: '{"gpt-4o-mini":{"inputPerMTok":1,"outputPerMTok":1}}',
        PARLEY_ADMIN_TOKEN: ADMIN_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await suite?.stop();
    await llm?.close();
  });
  beforeEach(() => llm.reset());

  /** What this file's customers said: the model serves these turns only (see FakeLlmServer.only). */
  const sent = new Set<string>();
  const say = (userId: string, text: string, conversationId?: string) => {
    sent.add(text);
    return postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text,
      ...(conversationId ? { conversationId } : {}),
    });
  };

  const engineOf = async (conversationId: string, text: string) => {
    const [row] = await query<{ engine: string; tokens_in: number | null }>(
      `SELECT engine, tokens_in FROM messages
       WHERE conversation_id = $1 AND role = 'user' AND text = $2`,
      [conversationId, text],
    );
    return row;
  };

  const budgetRefusals = async (scope: string): Promise<number> => {
    const metrics = await (await fetch(`${suite.orchestrators[0]!.url}/metrics`)).text();
    const line = new RegExp(
      `^parley_llm_budget_exceeded_total\\{[^}]*scope="${scope}"[^}]*\\} (\\d+)`,
      'm',
    );
    return Number(line.exec(metrics)?.[1] ?? 0);
  };

  const uploadGiftWrapping = async (price: string) => {
    const response = await fetch(`${suite.web.url}/api/v1/admin/knowledge/documents`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        source: 'uploads/gift-wrapping.md',
        format: 'markdown',
        content: `# Gift wrapping\n\n## Wrapping options\n\nEvery order can be gift wrapped in recycled paper for ${price}.`,
      }),
    });
    expect(response.status).toBe(200);
  };

  it('answers a repeated FAQ question from the cache until the knowledge changes', async () => {
    await uploadGiftWrapping('4 dollars');
    llm.script(
      { kind: 'text', text: 'Yes: recycled paper, 4 dollars an order.' },
      { kind: 'text', text: 'It is recycled paper, as I said.' },
      { kind: 'text', text: 'Yes: recycled paper, 5 dollars an order.' },
    );
    const question = 'Can my order be gift wrapped?';
    const first = await say(`u-${randomUUID()}`, question);
    // Another customer, the same question written differently: the same answer, no model call.
    const secondUser = `u-${randomUUID()}`;
    const second = await say(secondUser, 'can my order be GIFT WRAPPED');
    expect(llm.requests).toHaveLength(1);
    expect(second.body.replies.map((r) => r.text)).toEqual([
      'Yes: recycled paper, 4 dollars an order.',
    ]);
    expect(await engineOf(second.body.conversationId, 'can my order be GIFT WRAPPED')).toEqual({
      engine: 'llm-cache:openai:gpt-4o-mini',
      tokens_in: null,
    });
    expect(await engineOf(first.body.conversationId, question)).toMatchObject({
      engine: 'llm:openai:gpt-4o-mini',
    });

    // Asked again within a conversation, the answer may depend on what was said: the model answers.
    await say(secondUser, question, second.body.conversationId);
    expect(llm.requests).toHaveLength(2);

    // The knowledge changed: the cached answer no longer applies.
    await uploadGiftWrapping('5 dollars');
    const third = await say(`u-${randomUUID()}`, question);
    expect(llm.requests).toHaveLength(3);
    expect(third.body.replies[0]!.text).toBe('Yes: recycled paper, 5 dollars an order.');
  });

  it('hands a conversation past its token budget to the built-in engine, which still answers', async () => {
    llm.respondWith(() => ({
      kind: 'text',
      text: 'A model answer.',
      usage: { input: 500, output: 100 },
    }));
    const userId = `u-${randomUUID()}`;
    const refusalsBefore = await budgetRefusals('conversation');
    const first = await say(userId, 'Do you offer student discounts on jackets?');
    const conversationId = first.body.conversationId;
    await say(userId, 'And on boots?', conversationId);
    expect(llm.requests).toHaveLength(2);

    // 1,200 tokens spent of 1,000: the rest of the conversation is the built-in engine's, free.
    const third = await say(
      userId,
      'How long does a refund take to reach my card?',
      conversationId,
    );
    expect(llm.requests).toHaveLength(2);
    expect(third.status).toBe(200);
    expect(third.body.replies[0]!.text).toMatch(/5 to 10 business days/);
    expect(await engineOf(conversationId, 'How long does a refund take to reach my card?')).toEqual(
      {
        engine: 'builtin',
        tokens_in: null,
      },
    );
    const [usage] = await query<{ tokens_in: number; tokens_out: number; cost_usd: string }>(
      'SELECT tokens_in, tokens_out, cost_usd FROM conversations WHERE id = $1',
      [conversationId],
    );
    expect(usage).toEqual({ tokens_in: 1000, tokens_out: 200, cost_usd: '0.001200' });
    expect(await budgetRefusals('conversation')).toBe(refusalsBefore + 1);
  });

  it("stops a customer's model use for the day past their budget, across conversations", async () => {
    llm.respondWith(() => ({
      kind: 'text',
      text: 'A model answer.',
      usage: { input: 700, output: 100 },
    }));
    const userId = `u-${randomUUID()}`;
    const first = await say(userId, 'Are your tents good for winter camping?');
    // The conversation ends (as an idle one is closed); the customer comes back later that day.
    await query(
      `UPDATE conversations SET status = 'closed', open_key = NULL, closed_at = now() WHERE id = $1`,
      [first.body.conversationId],
    );
    const next = await say(userId, 'Do your sleeping bags come in long sizes?');
    expect(next.body.conversationId).not.toBe(first.body.conversationId);
    expect(llm.requests).toHaveLength(2);

    // 1,600 tokens today of 1,500, though this conversation has used only 800 of its 1,000.
    await say(userId, 'How long does a refund take to reach my card?', next.body.conversationId);
    expect(llm.requests).toHaveLength(2);
    expect(await budgetRefusals('customer')).toBe(1);
    // Another customer is not affected.
    await say(`u-${randomUUID()}`, 'Are your tents good for winter camping, really?');
    expect(llm.requests).toHaveLength(3);
  });

  it("stops every conversation's model use for the day once the assistant's budget is spent", async () => {
    // A million tokens at a dollar per million: the whole daily budget in one turn.
    llm.script({
      kind: 'text',
      text: 'An expensive answer.',
      usage: { input: 1_000_000, output: 0 },
    });
    await say(`u-${randomUUID()}`, 'Tell me everything about your hiking boots.');
    expect(llm.requests).toHaveLength(1);

    const after = await say(`u-${randomUUID()}`, 'How long does a refund take to reach my card?');
    expect(llm.requests).toHaveLength(1);
    expect(after.body.replies[0]!.text).toMatch(/5 to 10 business days/);
    expect(await budgetRefusals('assistant')).toBe(1);
  });
});
