import { randomUUID } from 'node:crypto';

import type { PostMessageResponse } from '@parley/contracts';
import {
  postMessage,
  query,
  seedDemoKnowledge,
  startSuite,
  type Suite,
  signedIn,
} from '@parley/testing';

describe('the right to be forgotten', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'erasure' });
  });

  afterAll(() => suite?.stop());

  const say = (userId: string, text: string, conversationId?: string) =>
    postMessage<PostMessageResponse>(suite.web.url, {
      ...signedIn(userId),
      text,
      ...(conversationId ? { conversationId } : {}),
    });

  const customerOf = async (conversationId: string) =>
    (
      await query<{ customer_id: string }>('SELECT customer_id FROM conversations WHERE id = $1', [
        conversationId,
      ])
    )[0]?.customer_id;

  it('erases everything about the customer after they confirm, and audits it', async () => {
    const userId = `user-${randomUUID()}`;
    const first = await say(userId, 'My name is Maren Quillfeather, where is ORD-10482?');
    const { conversationId } = first.body;
    await say(userId, 'and mail me at maren.quillfeather@example.com please', conversationId);
    const customerId = (await customerOf(conversationId))!;

    const asked = await say(userId, 'please delete all my personal data', conversationId);
    expect(asked.body.replies[0]!.text).toMatch(/cannot be undone\. Shall I go ahead\?/);
    expect(asked.body.replies[0]!.quickReplies).toEqual(['Yes', 'No']);
    const done = await say(userId, 'yes', conversationId);
    expect(done.body.replies[0]!.text).toMatch(/erased your conversations and details/);

    for (const [table, column] of [
      ['customers', 'id'],
      ['conversations', 'customer_id'],
      ['profile_facts', 'customer_id'],
      ['channel_identities', 'customer_id'],
    ]) {
      expect(await query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [customerId])).toEqual([]);
    }
    expect(
      await query('SELECT 1 FROM messages WHERE conversation_id = $1', [conversationId]),
    ).toEqual([]);
    expect(
      await query('SELECT 1 FROM tool_calls WHERE conversation_id = $1', [conversationId]),
    ).toEqual([]);
    expect(await query(`SELECT 1 FROM messages WHERE text LIKE '%Quillfeather%'`)).toEqual([]);

    const [audit] = await query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE target_id = $1`,
      [customerId],
    );
    expect(audit).toMatchObject({
      action: 'customer.erased',
      details: {
        reason: 'the customer asked to be forgotten',
        conversations: 1,
        facts: 3,
        vaultEntries: 1,
      },
    });
    expect(JSON.stringify(audit!.details)).not.toMatch(/Quillfeather|example\.com/);

    // Writing again at once starts afresh (no stale identity from before the erasure).
    const again = await say(userId, 'hi');
    expect(again.status).toBe(200);
    expect(again.body.conversationId).not.toBe(conversationId);
    expect(await customerOf(again.body.conversationId)).not.toBe(customerId);
  });

  it('keeps everything when the customer says no', async () => {
    const userId = `user-${randomUUID()}`;
    const first = await say(userId, 'forget me');
    expect(first.body.replies[0]!.text).toMatch(/Shall I go ahead/);
    const no = await say(userId, 'no', first.body.conversationId);
    expect(no.body.replies[0]!.text).toMatch(/kept everything/);
    expect(await customerOf(first.body.conversationId)).toBeDefined();
  });
});
