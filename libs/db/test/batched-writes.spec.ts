import { randomUUID } from 'node:crypto';

import { testEnv } from '@parley/testing';

import { Database, OutboxRepository, TurnRepository } from '../src';

import { commitOf, pendingTurn as firstPending } from './turns';

/**
 * Under load, turns committed at once and replies marked sent at once go to Postgres together
 * (Batcher): each must come out exactly as if it had been written alone.
 */
describe('writes made at once', () => {
  const assistantId = 'batched-writes-test';
  let db: Database;
  let statements: string[];
  let turns: TurnRepository;
  let outbox: OutboxRepository;

  /** Counts the statements sent, by name. */
  class CountingDatabase extends Database {
    override rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
      statements.push(name);
      return super.rows<T>(name, text, values);
    }
  }

  beforeAll(() => {
    db = new CountingDatabase({ url: testEnv().DATABASE_URL, poolSize: 4 });
    turns = new TurnRepository(db);
    outbox = new OutboxRepository(db);
  });
  afterAll(() => db.close());
  beforeEach(() => (statements = []));

  const pendingTurn = (text: string, externalUserId?: string) =>
    firstPending(db, assistantId, { text, ...(externalUserId ? { externalUserId } : {}) });

  const transcript = (conversationId: string) =>
    db.prisma.message.findMany({
      where: { conversationId },
      orderBy: { seq: 'asc' },
      select: { seq: true, role: true, text: true, turnStatus: true, inReplyToId: true },
    });

  it('commits turns of several conversations together, each with its own replies, state, facts and rating', async () => {
    const [a, b, c, d] = await Promise.all(
      ['hi', 'refund?', 'my email', 'thanks'].map((text) => pendingTurn(text)),
    );
    statements = [];

    const results = await Promise.all([
      turns.commitTurn(commitOf(a!, { state: { step: 'greeted' }, intent: 'greet' })),
      turns.commitTurn(
        commitOf(b!, { replies: [{ text: 'Refunds take 5 days.' }, { text: 'Anything else?' }] }),
      ),
      turns.commitTurn(commitOf(c!, { facts: [{ key: 'email', value: '[EMAIL_1]' }] })),
      turns.commitTurn(commitOf(d!, { rating: 5, status: 'closed', outcome: 'resolved' })),
    ]);

    // The first went alone; the three made while it was written, in one statement.
    expect(statements).toEqual(['turns.commit', 'turns.commit']);
    expect(results.map((result) => result.kind)).toEqual([
      'committed',
      'committed',
      'committed',
      'committed',
    ]);
    expect(results[1]).toMatchObject({
      status: 'bot',
      replies: [{ text: 'Refunds take 5 days.' }, { text: 'Anything else?' }],
    });
    expect(await transcript(b!.conversationId)).toEqual([
      { seq: 1, role: 'user', text: 'refund?', turnStatus: 'done', inReplyToId: null },
      {
        seq: 2,
        role: 'assistant',
        text: 'Refunds take 5 days.',
        turnStatus: null,
        inReplyToId: b!.id,
      },
      { seq: 3, role: 'assistant', text: 'Anything else?', turnStatus: null, inReplyToId: b!.id },
    ]);
    const conversations = await db.prisma.conversation.findMany({
      where: { id: { in: [a, b, c, d].map((m) => m!.conversationId) } },
      select: { id: true, state: true, status: true, csat: true, outcome: true, lastSeq: true },
    });
    const byId = new Map(conversations.map((row) => [row.id, row]));
    expect(byId.get(a!.conversationId)).toMatchObject({ state: { step: 'greeted' }, lastSeq: 2 });
    expect(byId.get(b!.conversationId)).toMatchObject({ state: null, lastSeq: 3 });
    expect(byId.get(d!.conversationId)).toMatchObject({
      status: 'closed',
      csat: 5,
      outcome: 'resolved',
    });
    const customer = await db.prisma.conversation.findUniqueOrThrow({
      where: { id: c!.conversationId },
      select: { customerId: true },
    });
    expect(
      await db.prisma.profileFact.findMany({
        where: { customerId: customer.customerId },
        select: { key: true, value: true, sourceMessageId: true },
      }),
    ).toEqual([{ key: 'email', value: '[EMAIL_1]', sourceMessageId: c!.id }]);
    expect(
      await db.prisma.feedback.findMany({
        where: { conversationId: { in: [a, b, c, d].map((m) => m!.conversationId) } },
        select: { conversationId: true, messageId: true, rating: true },
      }),
    ).toEqual([{ conversationId: d!.conversationId, messageId: d!.id, rating: 5 }]);
  });

  it('replies once to a turn committed twice at once, beside others committed with it', async () => {
    const [a, b] = await Promise.all(['one', 'two'].map((text) => pendingTurn(text)));
    const first = turns.commitTurn(commitOf(a!, {}));
    const results = await Promise.all([
      turns.commitTurn(commitOf(b!, {})),
      turns.commitTurn(commitOf(b!, { replies: [{ text: 'a replay' }] })),
    ]);
    await first;

    expect(results.map((result) => result.kind).sort()).toEqual(['already_done', 'committed']);
    expect(
      (await transcript(b!.conversationId)).filter((m) => m.role === 'assistant'),
    ).toHaveLength(1);
  });

  it('commits two turns of one conversation made at once one after the other', async () => {
    const other = await pendingTurn('other');
    const customer = `batch-${randomUUID()}`;
    const first = await pendingTurn('first', customer);
    await pendingTurn('second', customer);
    const { messages } = await turns.nextTurns(assistantId, first.conversationId, 12);
    expect(messages.map((m) => m.text)).toEqual(['first', 'second']);

    const pendingOther = turns.commitTurn(commitOf(other, {}));
    const results = await Promise.all(messages.map((m) => turns.commitTurn(commitOf(m, {}))));
    await pendingOther;

    expect(results.map((result) => result.kind)).toEqual(['committed', 'committed']);
    expect((await transcript(first.conversationId)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 're: first'],
      [4, 're: second'],
    ]);
  });

  it('fails only the turn that cannot be stored; the others made with it are committed', async () => {
    const [a, b, c] = await Promise.all(['x', 'y', 'z'].map((text) => pendingTurn(text)));
    const first = turns.commitTurn(commitOf(a!, {}));
    const results = await Promise.allSettled([
      // A fact without a key breaks a NOT NULL constraint.
      turns.commitTurn(commitOf(b!, { facts: [{ key: null as unknown as string, value: 'v' }] })),
      turns.commitTurn(commitOf(c!, {})),
    ]);
    await first;

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect((await transcript(b!.conversationId)).map((m) => m.turnStatus)).toEqual(['pending']);
    expect((await transcript(c!.conversationId)).map((m) => m.turnStatus)).toEqual(['done', null]);
  });

  it('marks replies sent together and tells each caller which of its own were still queued', async () => {
    const pending = await Promise.all(['p', 'q', 'r'].map((text) => pendingTurn(text)));
    const committed = await Promise.all(pending.map((m) => turns.commitTurn(commitOf(m, {}))));
    const replyIds = committed.map((result) =>
      result.kind === 'committed' ? result.replies[0]!.id : '',
    );
    await outbox.markSent(assistantId, [replyIds[1]!]);
    await new Promise((resolve) => setImmediate(resolve)); // that mark's batch is over
    statements = [];

    const marked = await Promise.all([
      outbox.markSent(assistantId, [replyIds[0]!]),
      outbox.markSent(assistantId, [replyIds[1]!]), // sent before
      outbox.markSent(assistantId, [replyIds[2]!]),
    ]);

    expect(statements).toEqual(['outbox.mark-sent', 'outbox.mark-sent']);
    expect(marked).toEqual([[replyIds[0]], [], [replyIds[2]]]);
  });
});
