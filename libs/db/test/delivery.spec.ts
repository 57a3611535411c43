import { testEnv } from '@parley/testing';

import { Database, DeliveryRepository, TurnRepository } from '../src';

import { commitOf, pendingTurn } from './turns';

describe(DeliveryRepository.name, () => {
  const assistantId = 'delivery-test';
  let db: Database;
  let delivery: DeliveryRepository;

  beforeAll(() => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    delivery = new DeliveryRepository(db);
  });
  afterAll(() => db.close());

  /** A reply to a new SMS conversation, claimed for sending `minutesAgo`. */
  async function replyClaimed(minutesAgo: number): Promise<string> {
    const message = await pendingTurn(db, assistantId, { channel: 'sms' });
    const committed = await new TurnRepository(db).commitTurn(commitOf(message));
    if (committed.kind !== 'committed') throw new Error('the turn did not commit');
    const replyId = committed.replies[0]!.id;
    expect(await delivery.claim(assistantId, replyId)).toBe(true);
    await db.rows(
      'test.claimed-at',
      `UPDATE messages SET delivery_attempted_at = now() - make_interval(mins => $2)
       WHERE id = $1::uuid`,
      [replyId, minutesAgo],
    );
    return replyId;
  }

  async function statusOf(replyId: string) {
    return db.prisma.message.findUniqueOrThrow({
      where: { id: replyId },
      select: { deliveryStatus: true, deliveryError: true },
    });
  }

  it('marks a reply failed, never to be resent, when its sender stopped during the call', async () => {
    const stuck = await replyClaimed(30);
    const sending = await replyClaimed(0);

    expect(await delivery.abandonStale(10 * 60_000)).toBeGreaterThanOrEqual(1);

    expect(await statusOf(stuck)).toEqual({
      deliveryStatus: 'failed',
      deliveryError: 'delivery outcome unknown: the sender stopped during the call',
    });
    // One still within its call is left to finish.
    expect(await statusOf(sending)).toEqual({ deliveryStatus: 'sending', deliveryError: null });
    // A failed reply cannot be claimed again.
    expect(await delivery.claim(assistantId, stuck)).toBe(false);
  });
});
