import { Client } from 'pg';

import { testEnv } from '@parley/testing';

import {
  Database,
  DeliveryRepository,
  OutboxRepository,
  TurnRepository,
  type PendingMessage,
} from '../src';

import { commitOf, pendingTurn } from './turns';

/**
 * After an outage, thousands of customer messages wait for their turns and thousands of replies
 * for their channel. Draining that backlog must cost the same per message as normal traffic: a
 * statement that scans every waiting row to find its own makes the drain quadratic. Planner
 * statistics lag such a backlog (nothing re-analyses the table while it builds), which is when a
 * scan of a small-looking partial index wins the plan. Each hot-path statement is run here under
 * EXPLAIN ANALYZE, in a transaction holding a backlog, and must read only its own rows.
 */
describe('hot-path statements with a backlog', () => {
  const HISTORY = 10_000;
  const BACKLOG = 2_000;
  const assistantId = 'backlog-test';
  let db: Database;
  let client: Client;
  let explained: Map<string, number>;

  /** Runs each statement a repository sends under EXPLAIN ANALYZE on `client`, in its transaction. */
  class ExplainingDatabase extends Database {
    override async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
      const result = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({
        text: `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
        values,
      });
      explained.set(name, messageRowsRead(result.rows[0]!['QUERY PLAN'][0]!.Plan));
      return [];
    }
  }

  /** A message at the conversation's next sequence number, pending (user) or queued (reply). */
  async function addToConversation(
    conversationId: string,
    role: 'user' | 'assistant',
    text: string,
  ): Promise<PendingMessage> {
    const { rows } = await client.query<{ id: string; seq: number; created_at: Date }>(
      `WITH conv AS (UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1::uuid
                     RETURNING id, last_seq)
       INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                             turn_status, delivery_status)
       SELECT gen_random_uuid(), $2, conv.id, conv.last_seq, $3::"MessageRole", 'sms', $4,
              CASE WHEN $3 = 'user' THEN 'pending'::"TurnStatus" END,
              CASE WHEN $3 = 'assistant' THEN 'queued'::"DeliveryStatus" END
       FROM conv
       RETURNING id, seq, created_at`,
      [conversationId, assistantId, role, text],
    );
    const row = rows[0]!;
    return {
      id: row.id,
      assistantId,
      conversationId,
      channel: 'sms',
      seq: row.seq,
      text,
      createdAt: row.created_at,
    };
  }

  beforeAll(async () => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    client = new Client({ connectionString: testEnv().DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.close();
  });

  it("reads only the turn's and the reply's own rows, however many others wait", async () => {
    // The customer's conversation, with its first turn done and its reply sent.
    const first = await pendingTurn(db, assistantId, { channel: 'sms', text: 'hello' });
    const { conversationId } = first;
    const turns = new TurnRepository(db);
    const committed = await turns.commitTurn(commitOf(first));
    if (committed.kind !== 'committed') throw new Error('the first turn did not commit');
    await new OutboxRepository(db).markSent(
      assistantId,
      committed.replies.map((r) => r.id),
    );

    await client.query('BEGIN');
    try {
      // The app's named statements run generic plans after their fifth use on a connection.
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      // Everything below is visible to this transaction only: the sweepers of tests running
      // beside this one never see the backlog. Another conversation with a long history...
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO conversations (id, assistant_id, customer_id, channel_identity_id, channel,
                                    status, last_seq, updated_at)
         SELECT gen_random_uuid(), assistant_id, customer_id, channel_identity_id, channel, 'bot',
                0, now()
         FROM conversations WHERE id = $1::uuid
         RETURNING id`,
        [conversationId],
      );
      const addMessages = (from: number, count: number, turn: string, delivery: string) =>
        client.query(
          `INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                                 turn_status, delivery_status)
           SELECT gen_random_uuid(), $1, $2::uuid, n,
                  CASE WHEN n % 2 = 0 THEN 'user' ELSE 'assistant' END::"MessageRole", 'sms', 'hi',
                  CASE WHEN n % 2 = 0 THEN $5::"TurnStatus" END,
                  CASE WHEN n % 2 = 1 THEN $6::"DeliveryStatus" END
           FROM generate_series($3::int, $3::int + $4::int - 1) AS n`,
          [assistantId, rows[0]!.id, from, count, turn, delivery],
        );
      await addMessages(1, HISTORY * 2, 'done', 'sent');
      // ...statistics taken before the backlog, as in production: a large table is not analysed
      // again for a backlog of a few thousand rows, and when it was, hardly anything waited...
      await client.query('ANALYZE messages');
      // ...and the backlog: customer messages waiting for their turns, replies for their channel.
      await addMessages(HISTORY * 2 + 1, BACKLOG * 2, 'pending', 'queued');

      // The customer writes again; a reply of theirs waits for the channel.
      const message = await addToConversation(conversationId, 'user', 'where is my parcel?');
      const reply = await addToConversation(conversationId, 'assistant', 'It is on its way.');

      explained = new Map();
      const explaining = new ExplainingDatabase({ url: testEnv().DATABASE_URL, poolSize: 1 });
      const explainingTurns = new TurnRepository(explaining);
      await explainingTurns.nextTurns(assistantId, conversationId, 10);
      await explainingTurns.commitTurn(commitOf(message));
      await new OutboxRepository(explaining).markSent(assistantId, [reply.id]);
      const delivery = new DeliveryRepository(explaining);
      await delivery.claim(assistantId, reply.id);
      await delivery.release(assistantId, reply.id);
      await delivery.failed(assistantId, reply.id, 'test');
      // The sweepers read what waits, through their own indexes, not the history.
      await explainingTurns.conversationsWithStalePending(0, 100);
      await delivery.abandonStale(0);
      await explaining.close();

      expect([...explained.keys()]).toEqual([
        'turns.next',
        'turns.commit',
        'outbox.mark-sent',
        'delivery.claim',
        'delivery.release',
        'delivery.failed',
        'turns.stale-pending',
        'delivery.abandon-stale',
      ]);
      const sweepers = ['turns.stale-pending', 'delivery.abandon-stale'];
      // Each hot-path statement reads a handful of rows (its message, the conversation's few),
      // never the backlog; the sweepers at most the backlog, never the history.
      expect(
        [...explained].filter(([name, read]) =>
          sweepers.includes(name) ? read > BACKLOG + 20 : read > 20,
        ),
      ).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of `messages` the plan read: those it kept and those its filters threw away. */
function messageRowsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'messages'
      ? // Per-loop averages, as EXPLAIN reports them.
        (node['Actual Rows'] +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
        node['Actual Loops']
      : 0;
  return (node.Plans ?? []).reduce((sum, child) => sum + messageRowsRead(child), own);
}
