import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import { postMessage, query, seedDemoKnowledge, startSuite, type Suite } from '@parley/testing';

describe('what the assistant remembers', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'memory' });
  });

  afterAll(() => suite?.stop());

  const say = (userId: string, text: string, conversationId?: string) =>
    postMessage<PostMessageResponse>(suite.web.url, {
      userId,
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

    // The conversation ends; the customer comes back days later.
    await query(
      `UPDATE conversations SET status = 'closed', open_key = NULL, closed_at = now() WHERE id = $1`,
      [first.body.conversationId],
    );
    const back = await say(userId, 'hello again');
    expect(back.body.conversationId).not.toBe(first.body.conversationId);
    expect(back.body.replies.map((r) => r.text).join('\n')).toMatch(
      /Welcome back! Last time we talked about order status ORD-10482/,
    );
    // Once per conversation.
    const next = await say(userId, 'thanks', back.body.conversationId);
    expect(next.body.replies.map((r) => r.text).join('\n')).not.toMatch(/Welcome back/);
  });
});
