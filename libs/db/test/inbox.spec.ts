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

  describe('verified identities', () => {
    const identityOf = async (externalUserId: string) =>
      (
        await query<{ verified: boolean; verified_at: Date | null }>(
          `SELECT verified, verified_at FROM channel_identities
           WHERE assistant_id = $1 AND external_id = $2`,
          [base.assistantId, externalUserId],
        )
      )[0];
    const messagesOf = async (externalUserId: string) =>
      (
        await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages m
           JOIN conversations c ON c.id = m.conversation_id
           JOIN channel_identities i ON i.id = c.channel_identity_id
           WHERE i.assistant_id = $1 AND i.external_id = $2`,
          [base.assistantId, externalUserId],
        )
      )[0]!.n;
    const send = (repo: InboxRepository, externalUserId: string, verified?: boolean) =>
      repo.accept({
        ...base,
        externalUserId,
        providerMessageId: `v-${randomUUID()}`,
        ...(verified === undefined ? {} : { verified }),
      });

    it('marks the identity verified with a verified message and keeps it verified', async () => {
      const externalUserId = `verified-${randomUUID()}`;
      expect((await send(inbox, externalUserId)).kind).toBe('accepted');
      expect((await identityOf(externalUserId))?.verified).toBe(false);

      expect((await send(inbox, externalUserId, true)).kind).toBe('accepted');
      const first = await identityOf(externalUserId);
      expect(first?.verified).toBe(true);
      expect(first?.verified_at).toBeInstanceOf(Date);

      // A later verified message neither unverifies it nor moves the first verification time.
      expect((await send(inbox, externalUserId, true)).kind).toBe('accepted');
      expect(await identityOf(externalUserId)).toEqual(first);
    });

    it('refuses an unverified message for a verified identity, storing nothing', async () => {
      const externalUserId = `required-${randomUUID()}`;
      const opened = await send(inbox, externalUserId, true);
      if (!('conversationId' in opened)) throw new Error('expected a conversation');

      expect(await send(inbox, externalUserId)).toEqual({ kind: 'identity_required' });
      expect(await send(inbox, externalUserId, false)).toEqual({ kind: 'identity_required' });
      expect(
        await inbox.accept({
          ...base,
          externalUserId,
          providerMessageId: `v-${randomUUID()}`,
          conversationId: opened.conversationId,
        }),
      ).toEqual({ kind: 'identity_required' });
      expect(await messagesOf(externalUserId)).toBe(1);
    });

    it('refuses an unverified message on a replica whose cache predates the verification', async () => {
      const externalUserId = `replica-${randomUUID()}`;
      const replicaA = new InboxRepository(db);
      const replicaB = new InboxRepository(db);
      const opened = await send(replicaA, externalUserId);
      if (!('conversationId' in opened)) throw new Error('expected a conversation');
      // Replica A now caches the identity as unverified; replica B verifies it.
      expect((await send(replicaB, externalUserId, true)).kind).toBe('accepted');

      expect(await send(replicaA, externalUserId)).toEqual({ kind: 'identity_required' });
      expect(
        await replicaA.accept({
          ...base,
          externalUserId,
          providerMessageId: `v-${randomUUID()}`,
          conversationId: opened.conversationId,
        }),
      ).toEqual({ kind: 'identity_required' });
      expect(await messagesOf(externalUserId)).toBe(2);
      // No sequence number was used up by the refusals.
      const seqs = await query<{ seq: number }>(
        'SELECT seq FROM messages WHERE conversation_id = $1 ORDER BY seq',
        [opened.conversationId],
      );
      expect(seqs.map((r) => r.seq)).toEqual([1, 2]);
    });

    it('lets a fresh unverified visitor in after a verified identity of that id was erased', async () => {
      const externalUserId = `erased-${randomUUID()}`;
      expect((await send(inbox, externalUserId, true)).kind).toBe('accepted');
      await query(
        `DELETE FROM customers WHERE id = (SELECT customer_id FROM channel_identities
           WHERE assistant_id = $1 AND external_id = $2)`,
        [base.assistantId, externalUserId],
      );
      // The cache still says verified; a refusal is never answered from it.
      expect((await send(inbox, externalUserId)).kind).toBe('accepted');
      expect((await identityOf(externalUserId))?.verified).toBe(false);
    });

    it('opens one conversation, verified, when verified and unverified first messages race', async () => {
      const externalUserId = `race-verified-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => send(inbox, externalUserId, i % 2 === 0)),
      );
      // Every verified message got in; an unverified one either came first or was refused.
      results.forEach((result, i) =>
        expect(result.kind).toBe(i % 2 === 0 ? 'accepted' : result.kind),
      );
      expect(results.every((r) => r.kind === 'accepted' || r.kind === 'identity_required')).toBe(
        true,
      );
      const accepted = results.filter((r) => r.kind === 'accepted');
      expect(new Set(accepted.map((r) => 'conversationId' in r && r.conversationId)).size).toBe(1);
      expect((await identityOf(externalUserId))?.verified).toBe(true);
      expect(await messagesOf(externalUserId)).toBe(accepted.length);
    });
  });
});
