import { randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';

import {
  JobName,
  QueueName,
  SCHEMA_VERSION,
  type PostMessageAccepted,
  type PostMessageResponse,
} from '@parley/contracts';
import {
  FAST_RECOVERY_ENV,
  eventually,
  postMessage,
  query,
  seedDemoKnowledge,
  sleep,
  startSuite,
  testEnv,
  withPg,
  type Suite,
} from '@parley/testing';

interface TurnRow extends Record<string, unknown> {
  id: string;
  seq: number;
  text: string;
  turn_status: string;
  started: Date | null;
  processed: Date | null;
}

const turnsOf = (conversationId: string) =>
  query<TurnRow>(
    `SELECT id, seq, text, turn_status, turn_started_at AS started, processed_at AS processed
     FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY seq`,
    [conversationId],
  );

const repliesTo = (messageId: string) =>
  query<{ id: string }>(`SELECT id FROM messages WHERE in_reply_to_id = $1`, [messageId]);

/**
 * Sends a message whose turn stops inside the engine (its knowledge table is locked), runs
 * `whileHeld` with the turn in flight and its lease held, then lets the turn continue.
 */
async function withTurnHeldInEngine(
  suite: Suite,
  text: string,
  whileHeld: () => Promise<void>,
): Promise<PostMessageAccepted> {
  return withPg(async (client) => {
    await client.query('BEGIN');
    await client.query('LOCK TABLE knowledge_chunks IN ACCESS EXCLUSIVE MODE');
    const { body } = await postMessage<PostMessageAccepted>(
      suite.web.url,
      { userId: `held-${randomUUID()}`, text },
      { wait: false },
    );
    await eventually(
      async () => {
        const [row] = await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query ILIKE '%knowledge_chunks%'`,
        );
        return row!.n > 0 ? true : undefined;
      },
      10_000,
      'the turn to block in the engine',
    );
    await whileHeld();
    await client.query('COMMIT');
    return body;
  });
}

describe('orchestrator turns', () => {
  beforeAll(() => seedDemoKnowledge());

  describe('with two orchestrator instances', () => {
    let suite: Suite;
    beforeAll(async () => {
      // No sweeper rescue within the tests: a message dropped while its conversation's turn ran
      // would stay pending, not be run late.
      suite = await startSuite({
        orchestrators: 2,
        label: 'order',
        env: { SWEEP_STALE_AFTER_MS: '600000' },
      });
    });
    afterAll(() => suite?.stop());

    it('runs 20 messages sent at once to one conversation one at a time, in send order', async () => {
      const userId = `order-${randomUUID()}`;
      const first = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        text: 'Hello',
      });
      const conversationId = first.body.conversationId;
      const texts = Array.from(
        { length: 20 },
        (_, i) => `Question ${i + 1}: how long does shipping take?`,
      );

      // Sent back to back without waiting for any turn: all 20 are queued before most turns run.
      const accepted: string[] = [];
      for (const text of texts) {
        const res = await postMessage<PostMessageAccepted>(
          suite.web.url,
          { userId, text, conversationId },
          { wait: false },
        );
        expect(res.status).toBe(202);
        accepted.push(res.body.messageId);
      }

      const turns = await eventually(
        async () => {
          const rows = await turnsOf(conversationId);
          return rows.every((r) => r.turn_status === 'done') && rows.length === 21
            ? rows
            : undefined;
        },
        30_000,
        'all turns to finish',
      );
      const sent = turns.slice(1);

      // Stored in the order sent…
      expect(sent.map((t) => t.id)).toEqual(accepted);
      expect(sent.map((t) => t.text)).toEqual(texts);
      // …and each turn began only after the previous one had committed: never two at once.
      for (let i = 1; i < turns.length; i++) {
        expect(turns[i]!.started!.getTime()).toBeGreaterThanOrEqual(
          turns[i - 1]!.processed!.getTime(),
        );
      }
      // Exactly one reply each, and the replies sit in the transcript in the same order.
      const replies = await query<{ in_reply_to_id: string; seq: number }>(
        `SELECT in_reply_to_id, seq FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY seq`,
        [conversationId],
      );
      expect(replies.map((r) => r.in_reply_to_id)).toEqual(turns.map((t) => t.id));
    });

    it('lets both instances work: turns of different conversations are spread across them', async () => {
      const conversations = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          postMessage<PostMessageResponse>(suite.web.url, {
            userId: `spread-${i}-${randomUUID()}`,
            text: 'Hi there',
          }),
        ),
      );
      expect(conversations.every((c) => c.status === 200)).toBe(true);
      const metrics = await Promise.all(
        suite.orchestrators.map(async (o) => (await fetch(`${o.url}/metrics`)).text()),
      );
      const committed = metrics.map((m) =>
        Number(/parley_turns_total\{outcome="committed"[^}]*\} (\d+)/.exec(m)?.[1] ?? 0),
      );
      expect(committed.every((n) => n > 0)).toBe(true);
    });

    it('runs one turn when the same inbound job is delivered twice, even after the first is gone', async () => {
      const userId = `dup-${randomUUID()}`;
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        text: 'Do you have stores?',
      });
      const [message] = await query<{ id: string; conversation_id: string }>(
        `SELECT id, conversation_id FROM messages WHERE conversation_id = $1 AND role = 'user'`,
        [res.body.conversationId],
      );
      // A redelivery long after the first job was removed: a new job id, the same stored message.
      const queue = new Queue(QueueName.Inbound, {
        connection: { url: testEnv().REDIS_URL },
        prefix: `{${suite.env.PARLEY_QUEUE_PREFIX}}`,
      });
      await queue.add(JobName.InboundMessage, {
        schemaVersion: SCHEMA_VERSION,
        channel: 'web',
        assistantId: 'demo',
        conversationId: message!.conversation_id,
        messageId: message!.id,
        receivedAt: Date.now(),
      });
      await eventually(async () =>
        (await queue.getJobCounts('waiting', 'active')).waiting === 0 ? true : undefined,
      );
      await sleep(300);
      await queue.close();
      expect(await repliesTo(message!.id)).toHaveLength(1);
    });
  });

  describe('when an orchestrator is told to stop in the middle of a turn', () => {
    let suite: Suite;
    beforeAll(async () => {
      suite = await startSuite({ orchestrators: 1, label: 'sigterm' });
    });
    afterAll(() => suite?.stop());

    it('finishes the turn, replies once, then exits cleanly', async () => {
      const [orchestrator] = suite.orchestrators;
      const accepted = await withTurnHeldInEngine(
        suite,
        'How much does express shipping cost?',
        async () => {
          orchestrator!.child.kill('SIGTERM');
          await sleep(500);
          // Still running: it is waiting for its in-flight turn, not dropping it.
          expect(orchestrator!.child.exitCode).toBeNull();
        },
      );

      const { code } = await orchestrator!.exited;
      expect(code).toBe(0);
      expect(await repliesTo(accepted.messageId)).toHaveLength(1);
    });
  });

  describe('when an orchestrator dies in the middle of a turn', () => {
    let suite: Suite;
    beforeAll(async () => {
      suite = await startSuite({ orchestrators: 1, label: 'crash', env: FAST_RECOVERY_ENV });
    });
    afterAll(() => suite?.stop());

    it('has the turn completed by another instance, with no duplicate reply', async () => {
      const [victim] = suite.orchestrators;
      const accepted = await withTurnHeldInEngine(suite, 'Do you ship to Canada?', async () => {
        await suite.addOrchestrator(FAST_RECOVERY_ENV);
        victim!.child.kill('SIGKILL');
        await victim!.exited;
      });

      const replies = await eventually(
        async () => {
          const rows = await repliesTo(accepted.messageId);
          return rows.length > 0 ? rows : undefined;
        },
        20_000,
        'the surviving instance to finish the turn',
      );
      // Give any second attempt time to (wrongly) reply again.
      await sleep(2_500);
      expect(replies).toHaveLength(1);
      expect(await repliesTo(accepted.messageId)).toHaveLength(1);
      const [turn] = await query<{ turn_status: string; delivery: string }>(
        `SELECT u.turn_status, r.delivery_status AS delivery FROM messages u
         JOIN messages r ON r.in_reply_to_id = u.id WHERE u.id = $1`,
        [accepted.messageId],
      );
      expect(turn).toEqual({ turn_status: 'done', delivery: 'sent' });
    });
  });
});
