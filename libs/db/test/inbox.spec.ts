import { randomUUID } from 'node:crypto';

import { testEnv, query } from '@parley/testing';

import { Database, InboxRepository } from '../src';

describe(InboxRepository.name, () => {
  let db: Database;
  let inbox: InboxRepository;
  const base = { assistantId: 'inbox-test', channel: 'web' as const, text: 'hello' };

  beforeAll(() => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 10 });
    inbox = new InboxRepository(db);
  });
  afterAll(() => db.close());

  it('opens one conversation for a new customer even when their first messages race', async () => {
    const externalUserId = `racer-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        inbox.accept({ ...base, externalUserId, providerMessageId: `race-${externalUserId}-${i}` }),
      ),
    );
    const conversations = new Set(
      results.map((r) => ('conversationId' in r ? r.conversationId : null)),
    );
    expect(conversations.size).toBe(1);
    const [conversationId] = [...conversations];
    const rows = await query<{ seq: number }>(
      'SELECT seq FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [conversationId],
    );
    // Ten messages with ten distinct, gapless sequence numbers.
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [customers] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM channel_identities WHERE external_id = $1`,
      [externalUserId],
    );
    expect(customers!.n).toBe(1);
    // The racers that lost left no customer behind.
    const [orphans] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers c
       WHERE NOT EXISTS (SELECT 1 FROM channel_identities i WHERE i.customer_id = c.id)`,
    );
    expect(orphans!.n).toBe(0);
  });

  it('stores a redelivered provider message once and points to the original', async () => {
    const input = {
      ...base,
      externalUserId: `dup-${randomUUID()}`,
      providerMessageId: `p-${randomUUID()}`,
    };
    const first = await inbox.accept(input);
    const [second, third] = await Promise.all([inbox.accept(input), inbox.accept(input)]);
    expect(first.kind).toBe('accepted');
    expect(second).toEqual({ ...first, kind: 'duplicate' });
    expect(third).toEqual({ ...first, kind: 'duplicate' });
    const [row] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE provider_message_id = $1`,
      [input.providerMessageId],
    );
    expect(row!.n).toBe(1);
  });

  it('keeps the same provider id on two channels apart', async () => {
    const providerMessageId = `shared-${randomUUID()}`;
    const web = await inbox.accept({ ...base, externalUserId: 'x', providerMessageId });
    const sms = await inbox.accept({
      ...base,
      channel: 'sms',
      externalUserId: '+15550100',
      providerMessageId,
    });
    expect(web.kind).toBe('accepted');
    expect(sms.kind).toBe('accepted');
  });

  it('refuses closed and unknown conversations without storing anything', async () => {
    const externalUserId = `closed-${randomUUID()}`;
    const opened = await inbox.accept({
      ...base,
      externalUserId,
      providerMessageId: `o-${externalUserId}`,
    });
    if (!('conversationId' in opened)) throw new Error('expected a conversation');
    await query(`UPDATE conversations SET status = 'closed', open_key = NULL WHERE id = $1`, [
      opened.conversationId,
    ]);
    expect(
      await inbox.accept({
        ...base,
        externalUserId,
        providerMessageId: `c-${externalUserId}`,
        conversationId: opened.conversationId,
      }),
    ).toEqual({ kind: 'conversation_closed' });
    expect(
      await inbox.accept({
        ...base,
        externalUserId,
        providerMessageId: `u-${externalUserId}`,
        conversationId: randomUUID(),
      }),
    ).toEqual({ kind: 'conversation_not_found' });
    // Without a conversation id, a closed conversation's customer gets a fresh one.
    const fresh = await inbox.accept({
      ...base,
      externalUserId,
      providerMessageId: `f-${externalUserId}`,
    });
    expect('conversationId' in fresh && fresh.conversationId).not.toBe(opened.conversationId);
    const [row] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE provider_message_id IN ($1, $2)`,
      [`c-${externalUserId}`, `u-${externalUserId}`],
    );
    expect(row!.n).toBe(0);
  });
});
