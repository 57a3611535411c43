import { randomUUID } from 'node:crypto';

import { testEnv } from '@parley/testing';

import { Database, InboxRepository, TurnRepository } from '../src';

describe(TurnRepository.name, () => {
  let db: Database;
  let inbox: InboxRepository;
  let turns: TurnRepository;
  const base = { assistantId: 'turn-context-test', channel: 'web' as const, text: 'hello' };

  beforeAll(() => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    inbox = new InboxRepository(db);
    turns = new TurnRepository(db);
  });
  afterAll(() => db.close());

  /** Accepts a message and loads the context its turn would see. */
  async function contextAfter(externalUserId: string, verified: boolean) {
    const result = await inbox.accept({
      ...base,
      externalUserId,
      providerMessageId: `ctx-${randomUUID()}`,
      verified,
    });
    if (result.kind !== 'accepted') throw new Error(`expected accepted, got ${result.kind}`);
    const { context } = await turns.nextTurns(base.assistantId, result.conversationId, 12);
    return context;
  }

  it("tells the turn whether the conversation's customer is verified", async () => {
    const externalUserId = `ctx-${randomUUID()}`;
    expect((await contextAfter(externalUserId, false))?.verified).toBe(false);
    expect((await contextAfter(externalUserId, true))?.verified).toBe(true);
  });

  it('reads the pending messages in order with the context of the first, as a turn would see it', async () => {
    const externalUserId = `ctx-${randomUUID()}`;
    const accept = async (text: string) => {
      const result = await inbox.accept({
        ...base,
        text,
        externalUserId,
        providerMessageId: `ctx-${randomUUID()}`,
        verified: false,
      });
      if (result.kind !== 'accepted') throw new Error(`expected accepted, got ${result.kind}`);
      return result.conversationId;
    };
    const conversationId = await accept('where is my parcel?');
    const [first] = (await turns.nextTurns(base.assistantId, conversationId, 12)).messages;
    await turns.commitTurn({
      message: first!,
      replies: [{ text: 'It left the warehouse today.' }],
      engine: 'test',
      timings: {},
      latencyMs: 1,
      startedAt: new Date(),
    });
    await accept('thanks');
    await accept('and my refund?');

    const next = await turns.nextTurns(base.assistantId, conversationId, 12);

    expect(next.messages.map((m) => m.text)).toEqual(['thanks', 'and my refund?']);
    expect(next.context?.history.map((h) => [h.role, h.text])).toEqual([
      ['user', 'where is my parcel?'],
      ['assistant', 'It left the warehouse today.'],
    ]);
    // The same context the turn of that message reads on its own.
    expect(next.context).toEqual(await turns.context(next.messages[0]!, 12));
  });

  it('finds nothing to run in a conversation whose turns are all done', async () => {
    const result = await inbox.accept({
      ...base,
      externalUserId: `ctx-${randomUUID()}`,
      providerMessageId: `ctx-${randomUUID()}`,
      verified: false,
    });
    if (result.kind !== 'accepted') throw new Error(`expected accepted, got ${result.kind}`);
    const [message] = (await turns.nextTurns(base.assistantId, result.conversationId, 12)).messages;
    await turns.commitTurn({
      message: message!,
      replies: [],
      engine: 'test',
      timings: {},
      latencyMs: 1,
      startedAt: new Date(),
    });

    expect(await turns.nextTurns(base.assistantId, result.conversationId, 12)).toEqual({
      messages: [],
      context: null,
    });
  });
});
