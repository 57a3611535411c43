import { randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';

import {
  JobName,
  QueueName,
  SCHEMA_VERSION,
  type HandoffNotifyJob,
  type PostMessageResponse,
} from '@parley/contracts';
import { Database, TicketRepository } from '@parley/db';
import { queuePrefix } from '@parley/queue';
import {
  FAST_RECOVERY_ENV,
  eventually,
  postMessage,
  query,
  seedDemoKnowledge,
  sleep,
  startSuite,
  testEnv,
  type Suite,
} from '@parley/testing';

interface TicketRow extends Record<string, unknown> {
  id: string;
  status: string;
  priority: number;
  reason: string;
  summary: string;
  entities: Record<string, string[]>;
  escalations: number;
  sla_due_at: Date;
  created_at: Date;
}

/**
 * Hand-over as a contract: the escalating turn opens one ticket with its context, the customer
 * is told what happens next, the bot stays silent, and the sweeper keeps tickets from being lost
 * or left unclaimed past the SLA.
 */
describe('hand-over tickets', () => {
  let suite: Suite;
  let handoffQueue: Queue;
  let inboundQueue: Queue;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({
      label: 'handoff',
      env: { ...FAST_RECOVERY_ENV, CONSOLE_PUBLIC_URL: 'https://console.example.test' },
    });
    const connection = { url: suite.env.REDIS_URL! };
    const prefix = queuePrefix(suite.env.PARLEY_QUEUE_PREFIX!);
    handoffQueue = new Queue(QueueName.Handoff, { connection, prefix });
    inboundQueue = new Queue(QueueName.Inbound, { connection, prefix });
  });
  afterAll(async () => {
    await handoffQueue?.close();
    await inboundQueue?.close();
    await suite?.stop();
  });

  const say = async (userId: string, text: string) =>
    (await postMessage<PostMessageResponse>(suite.web.url, { userId, text })).body;

  const ticketsOf = (conversationId: string) =>
    query<TicketRow>(`SELECT * FROM handoff_tickets WHERE conversation_id = $1`, [conversationId]);

  async function notifyJobs(ticketId: string): Promise<HandoffNotifyJob[]> {
    const jobs = await handoffQueue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    return jobs
      .map((job) => job.data as HandoffNotifyJob)
      .filter((data) => data.ticketId === ticketId);
  }

  /** A conversation the bot handed over, with its ticket. */
  async function handedOver(userId = `handoff-${randomUUID()}`) {
    await say(userId, 'Hi, my order ORD-12345 arrived broken and I paid $120 for it.');
    const escalation = await say(userId, 'I want to talk to a human');
    expect(escalation.status).toBe('handoff');
    const conversationId = escalation.conversationId;
    const [ticket] = await eventually(
      async () => {
        const rows = await ticketsOf(conversationId);
        return rows.length ? rows : undefined;
      },
      10_000,
      'the ticket to be opened',
    );
    return { userId, conversationId, ticket: ticket! };
  }

  it('opens one ticket with reason, priority, summary, entities and tells the customer their place', async () => {
    const { userId, conversationId, ticket } = await handedOver();

    expect(ticket.status).toBe('open');
    expect(ticket.reason).toBe('customer asked for a person');
    expect(ticket.priority).toBe(2);
    expect(ticket.summary).toContain('Customer: I want to talk to a human');
    expect(ticket.summary).toContain('ORD-12345');
    expect(ticket.entities).toMatchObject({ order_id: ['ORD-12345'], amount: ['$120'] });
    // SLA: the demo policies' 15 minutes from creation.
    expect(ticket.sla_due_at.getTime() - ticket.created_at.getTime()).toBe(15 * 60_000);

    // The escalating message's job delivered again (a redelivery after a crash): no second ticket.
    const [escalating] = await query<{ id: string }>(
      `SELECT id FROM messages WHERE conversation_id = $1 AND role = 'user' AND text LIKE 'I want%'`,
      [conversationId],
    );
    await inboundQueue.add(JobName.InboundMessage, {
      schemaVersion: SCHEMA_VERSION,
      channel: 'web',
      assistantId: 'demo',
      conversationId,
      messageId: escalating!.id,
      receivedAt: Date.now(),
    });

    // What happens next: one system message, sent on the customer's channel, with their place.
    const notice = await eventually(
      async () => {
        const rows = await query<{ text: string; delivery_status: string }>(
          `SELECT text, delivery_status FROM messages WHERE conversation_id = $1 AND role = 'system'`,
          [conversationId],
        );
        return rows[0]?.delivery_status === 'sent' ? rows : undefined;
      },
      10_000,
      'the notice to be sent',
    );
    expect(notice).toHaveLength(1);
    const [{ ahead }] = (await query<{ ahead: number }>(
      `SELECT count(*)::int AS ahead FROM handoff_tickets
       WHERE assistant_id = 'demo' AND status = 'open' AND created_at < $1 AND id <> $2`,
      [ticket.created_at, ticket.id],
    )) as [{ ahead: number }];
    expect(notice[0]!.text).toContain(
      ahead === 0 ? "You're next in line" : `You're number ${ahead + 1} in line`,
    );

    // While a person has it, the bot says nothing, whatever the customer writes.
    for (const text of ['Hello? Anyone there?', 'Where is my order?']) {
      const reply = await say(userId, text);
      expect(reply.replies).toEqual([]);
      expect(reply.status).toBe('handoff');
    }
    const transcript = await query<{ role: string; text: string; turn_status: string | null }>(
      `SELECT role, text, turn_status FROM messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    const afterNotice = transcript.slice(transcript.findIndex((m) => m.role === 'system') + 1);
    expect(afterNotice).toEqual([
      { role: 'user', text: 'Hello? Anyone there?', turn_status: 'done' },
      { role: 'user', text: 'Where is my order?', turn_status: 'done' },
    ]);

    // Sweeps ran meanwhile (every 500 ms): still one ticket, one notification queued.
    await sleep(1_500);
    expect(await ticketsOf(conversationId)).toHaveLength(1);
    const jobs = await notifyJobs(ticket.id);
    expect(jobs).toEqual([
      expect.objectContaining({
        event: 'ticket.created',
        assistantId: 'demo',
        ticketId: ticket.id,
      }),
    ]);
  });

  it('raises a ticket left unclaimed past its SLA and notifies the team again', async () => {
    const { ticket } = await handedOver();
    await query(
      `UPDATE handoff_tickets SET sla_due_at = now() - interval '1 minute' WHERE id = $1`,
      [ticket.id],
    );

    const raised = await eventually(
      async () => {
        const [row] = await query<TicketRow>(`SELECT * FROM handoff_tickets WHERE id = $1`, [
          ticket.id,
        ]);
        return row && row.escalations > 0 ? row : undefined;
      },
      10_000,
      'the sweeper to escalate the ticket',
    );
    expect(raised.priority).toBe(ticket.priority + 1);
    expect(raised.escalations).toBe(1);
    // Another SLA period from now.
    expect(raised.sla_due_at.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const jobs = await eventually(
      async () => {
        const found = await notifyJobs(ticket.id);
        return found.some((j) => j.event === 'ticket.escalated') ? found : undefined;
      },
      5_000,
      'the escalation notice to be queued',
    );
    expect(jobs.filter((j) => j.event === 'ticket.escalated')).toEqual([
      expect.objectContaining({ escalation: 1 }),
    ]);
  });

  it('opens the missing ticket of a conversation a crash left in handoff without one', async () => {
    const { conversationId, ticket } = await handedOver();
    // The state a crash between the turn's commit and the ticket's insert leaves behind.
    await query(`DELETE FROM handoff_tickets WHERE id = $1`, [ticket.id]);
    await query(`DELETE FROM messages WHERE conversation_id = $1 AND role = 'system'`, [
      conversationId,
    ]);

    const [reopened] = await eventually(
      async () => {
        const rows = await ticketsOf(conversationId);
        return rows.length ? rows : undefined;
      },
      10_000,
      'the sweeper to open the ticket',
    );
    expect(reopened!.id).not.toBe(ticket.id);
    expect(reopened!.reason).toBe('customer asked for a person');
    expect(reopened!.entities).toMatchObject({ order_id: ['ORD-12345'] });
    await sleep(1_500);
    expect(await ticketsOf(conversationId)).toHaveLength(1);
  });

  it('never opens two tickets for one conversation, even when opened concurrently', async () => {
    const { conversationId, ticket } = await handedOver();
    await query(`DELETE FROM handoff_tickets WHERE id = $1`, [ticket.id]);
    const db = new Database({ url: testEnv().DATABASE_URL, poolSize: 8 });
    try {
      const tickets = new TicketRepository(db);
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          tickets.open({
            assistantId: 'demo',
            conversationId,
            reason: 'customer asked for a person',
            priority: 2,
            summary: 's',
            entities: {},
            slaMinutes: 15,
            notice: (n) => `number ${n}`,
          }),
        ),
      );
      const kinds = results.map((r) => r.kind);
      // The sweeper may have got there first: then every call here finds its ticket.
      expect(kinds.filter((k) => k === 'created').length).toBeLessThanOrEqual(1);
      expect(kinds.every((k) => k === 'created' || k === 'exists')).toBe(true);
      expect(await ticketsOf(conversationId)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
