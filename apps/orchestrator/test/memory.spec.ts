import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import {
  eventually,
  postMessage,
  query,
  seedDemoKnowledge,
  startSuite,
  type Suite,
  signedIn,
} from '@parley/testing';

describe('what the assistant remembers', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({
      label: 'memory',
      env: { CONVERSATION_IDLE_MINUTES: '30', CLOSE_IDLE_INTERVAL_MS: '300' },
    });
  });

  afterAll(() => suite?.stop());

  const say = (userId: string, text: string, conversationId?: string) =>
    postMessage<PostMessageResponse>(suite.web.url, {
      ...signedIn(userId),
      text,
      ...(conversationId ? { conversationId } : {}),
    });

  it('keeps facts about the customer with the message they came from', async () => {
    const userId = `user-${randomUUID()}`;
    const res = await say(userId, 'Hi, my name is Jane Porter and I work at Acme Outdoor');
    const facts = await query<{ key: string; value: string; source_message_id: string }>(
      `SELECT f.key, f.value, f.source_message_id FROM profile_facts f
       JOIN conversations c ON c.customer_id = f.customer_id WHERE c.id = $1 ORDER BY f.key`,
      [res.body.conversationId],
    );
    expect(facts.map((f) => [f.key, f.value])).toEqual([
      ['company', 'Acme Outdoor'],
      ['name', 'Jane Porter'],
    ]);
    const [message] = await query<{ id: string }>(
      `SELECT id FROM messages WHERE conversation_id = $1 AND role = 'user'`,
      [res.body.conversationId],
    );
    expect(facts.every((f) => f.source_message_id === message!.id)).toBe(true);
  });

  it('summarises what each task achieved, and recalls it when the customer returns', async () => {
    const userId = `user-${randomUUID()}`;
    const first = await say(userId, 'Where is my order ORD-10482?');
    expect(first.body.replies[0]!.text).toMatch(/on its way/);
    const [conversation] = await query<{ summary: string }>(
      'SELECT summary FROM conversations WHERE id = $1',
      [first.body.conversationId],
    );
    expect(conversation!.summary).toBe('order status ORD-10482: shipped');
    const [fact] = await query<{ value: string }>(
      `SELECT f.value FROM profile_facts f JOIN conversations c ON c.customer_id = f.customer_id
       WHERE c.id = $1 AND f.key = 'past_issue'`,
      [first.body.conversationId],
    );
    expect(fact!.value).toBe('order status ORD-10482: shipped');

    // The customer goes quiet; the conversation is closed once idle, and they come back later.
    await goQuiet(first.body.conversationId);
    await closed(first.body.conversationId);
    const back = await say(userId, 'hello again');
    expect(back.body.conversationId).not.toBe(first.body.conversationId);
    expect(back.body.replies.map((r) => r.text).join('\n')).toMatch(
      /Welcome back! Last time we talked about order status ORD-10482/,
    );
    // Once per conversation.
    const next = await say(userId, 'thanks', back.body.conversationId);
    expect(next.body.replies.map((r) => r.text).join('\n')).not.toMatch(/Welcome back/);
  });

  it('closes a conversation nobody wrote in for the idle time, and the next message opens a new one', async () => {
    const userId = `user-${randomUUID()}`;
    const quiet = await say(userId, 'Hello');
    const lively = await say(`user-${randomUUID()}`, 'Hello');
    const handedOver = await say(`user-${randomUUID()}`, 'I want to talk to a human');
    await goQuiet(quiet.body.conversationId);
    await goQuiet(handedOver.body.conversationId);

    await closed(quiet.body.conversationId);
    // Only conversations the bot has, and only quiet ones: a person may still be on the other.
    const others = await query<{ id: string; status: string }>(
      'SELECT id, status FROM conversations WHERE id = ANY($1::uuid[]) ORDER BY status',
      [[lively.body.conversationId, handedOver.body.conversationId]],
    );
    expect(others.map((c) => c.status)).toEqual(['bot', 'handoff']);

    // Writing into the closed conversation is refused clearly; without its id, a new one opens.
    const late = await say(userId, 'Are you there?', quiet.body.conversationId);
    expect(late.status).toBe(409);
    const fresh = await say(userId, 'Are you there?');
    expect(fresh.status).toBe(200);
    expect(fresh.body.conversationId).not.toBe(quiet.body.conversationId);
  });

  it('keeps a line per topic in the rolling summary, knowledge answers included', async () => {
    const userId = `user-${randomUUID()}`;
    const first = await say(userId, 'How long does a refund take to reach my card?');
    await say(userId, 'Where is my order ORD-10482?', first.body.conversationId);
    const [conversation] = await query<{ summary: string }>(
      'SELECT summary FROM conversations WHERE id = $1',
      [first.body.conversationId],
    );
    expect(conversation!.summary.split('\n')).toEqual([
      'Refunds: answered from the knowledge base',
      'order status ORD-10482: shipped',
    ]);
  });

  /** As if the last message was two hours ago. */
  async function goQuiet(conversationId: string) {
    await query(`UPDATE conversations SET updated_at = now() - interval '2 hours' WHERE id = $1`, [
      conversationId,
    ]);
  }

  async function closed(conversationId: string) {
    await eventually(
      async () => {
        const [row] = await query<{ status: string; open_key: string | null; closed_at: Date }>(
          'SELECT status, open_key, closed_at FROM conversations WHERE id = $1',
          [conversationId],
        );
        return row?.status === 'closed' && row.open_key === null && row.closed_at ? row : undefined;
      },
      10_000,
      'the idle conversation to be closed',
    );
  }
});
