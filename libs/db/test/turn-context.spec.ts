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
    const [message] = await turns.pending(base.assistantId, result.conversationId);
    if (!message) throw new Error('expected a pending message');
    return turns.context(message, 12);
  }

  it("tells the turn whether the conversation's customer is verified", async () => {
    const externalUserId = `ctx-${randomUUID()}`;
    expect((await contextAfter(externalUserId, false))?.verified).toBe(false);
    expect((await contextAfter(externalUserId, true))?.verified).toBe(true);
  });
});
