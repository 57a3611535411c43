import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import { postMessage, query, seedDemoKnowledge, startSuite, type Suite } from '@parley/testing';

describe('a conversation a person has taken over', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'silence' });
  });

  afterAll(() => suite?.stop());

  it('gets no bot reply, whatever the customer sends, but keeps every message', async () => {
    const userId = `user-${randomUUID()}`;
    const first = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text: 'How long does a refund take?',
    });
    expect(first.body.replies).toHaveLength(1);
    const { conversationId } = first.body;
    await query(`UPDATE conversations SET status = 'handoff' WHERE id = $1`, [conversationId]);

    for (const text of ['hello?', 'How long does a refund take?', 'is anyone there']) {
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        conversationId,
        text,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ conversationId, status: 'handoff', replies: [] });
    }

    const messages = await query<{ role: string; text: string; turn_status: string | null }>(
      'SELECT role, text, turn_status FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [conversationId],
    );
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user', 'user']);
    expect(messages.filter((m) => m.role === 'user').every((m) => m.turn_status === 'done')).toBe(
      true,
    );
  });
});
