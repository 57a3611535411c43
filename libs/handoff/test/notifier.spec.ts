import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Queue, type Worker } from 'bullmq';

import { JobName, QueueName, SCHEMA_VERSION, type HandoffNotifyJob } from '@parley/contracts';
import { Database, TicketRepository, WebhookDeliveryRepository } from '@parley/db';
import {
  CLAIM_ACTION_ID,
  startHandoffNotifier,
  verifyWebhookSignature,
  type TicketWebhookBody,
} from '../src';
import { createLogger } from '@parley/platform';
import { createRedis, queuePrefix } from '@parley/queue';
import {
  eventually,
  query,
  startFakeSlack,
  testEnv,
  uniquePrefix,
  type FakeSlack,
} from '@parley/testing';

const SECRET = 'webhook-secret-for-tests-0123456789';
const CONSOLE = 'https://console.example.test';

interface Received {
  delivery: string;
  body: TicketWebhookBody;
  verified: boolean;
}

/** A help desk's webhook endpoint: checks the signature, answers with the next status queued. */
async function startReceiver(statuses: () => number) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      received.push({
        delivery: String(request.headers['x-parley-delivery']),
        body: JSON.parse(raw) as TicketWebhookBody,
        verified: verifyWebhookSignature(
          SECRET,
          {
            timestamp: request.headers['x-parley-timestamp'] as string | undefined,
            signature: request.headers['x-parley-signature'] as string | undefined,
          },
          raw,
        ),
      });
      response.writeHead(statuses()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/parley`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A conversation in handoff with its open ticket, as the orchestrator leaves them. */
async function seedTicket(): Promise<string> {
  const [row] = await query<{ id: string }>(
    `WITH cu AS (INSERT INTO customers (id, assistant_id, updated_at)
                 VALUES (gen_random_uuid(), 'demo', now()) RETURNING id),
          ci AS (INSERT INTO channel_identities (id, assistant_id, customer_id, channel, external_id)
                 SELECT gen_random_uuid(), 'demo', cu.id, 'web', $1 FROM cu RETURNING id, customer_id),
          co AS (INSERT INTO conversations (id, assistant_id, customer_id, channel_identity_id, channel,
                                            status, escalation_reason, updated_at)
                 SELECT gen_random_uuid(), 'demo', ci.customer_id, ci.id, 'web', 'handoff',
                        'frustration', now() FROM ci RETURNING id)
     INSERT INTO handoff_tickets (id, assistant_id, conversation_id, status, priority, reason,
                                  summary, entities, sla_due_at)
     SELECT gen_random_uuid(), 'demo', co.id, 'open', 3, 'frustration',
            'Customer: this is the third time ORD-12345 is late',
            '{"order_id":["ORD-12345"]}', now() + interval '15 minutes' FROM co RETURNING id`,
    [`visitor-${randomUUID()}`],
  );
  return row!.id;
}

describe('startHandoffNotifier', () => {
  const redis = createRedis({ url: testEnv().REDIS_URL, name: 'handoff-test', blocking: true });
  const db = new Database({ url: testEnv().DATABASE_URL, poolSize: 4 });
  const logger = createLogger('handoff-test', 'silent');
  let slack: FakeSlack;
  const running: { worker: Worker; queue: Queue }[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack('xoxb-handoff-test');
  });
  afterAll(async () => {
    for (const { worker, queue } of running) {
      await worker.close();
      await queue.close();
    }
    await slack.close();
    await db.close();
    redis.disconnect();
  });

  /** A notifier on a queue of its own; jobs retry quickly (production backs off from 2 s). */
  function start(webhookUrl: string) {
    const prefix = uniquePrefix('handoff-notifier');
    const worker = startHandoffNotifier({
      tickets: new TicketRepository(db),
      webhooks: new WebhookDeliveryRepository(db),
      connection: redis,
      prefix,
      logger,
      config: {
        HANDOFF_SLACK_BOT_TOKEN: slack.botToken,
        HANDOFF_SLACK_CHANNEL: 'CSUPPORT',
        HANDOFF_SLACK_API_URL: slack.url,
        HANDOFF_WEBHOOK_URL: webhookUrl,
        HANDOFF_WEBHOOK_SECRET: SECRET,
        HANDOFF_WEBHOOK_TIMEOUT_MS: 2_000,
        CONSOLE_PUBLIC_URL: CONSOLE,
      },
    });
    const queue = new Queue(QueueName.Handoff, { connection: redis, prefix: queuePrefix(prefix) });
    running.push({ worker, queue });
    const notify = (data: Omit<HandoffNotifyJob, 'schemaVersion'>) =>
      queue.add(
        JobName.HandoffNotify,
        { ...data, schemaVersion: SCHEMA_VERSION },
        { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
      );
    return { notify };
  }

  it('posts one Slack message with a Claim button and a signed webhook with a stable delivery id', async () => {
    const statuses = [500, 200];
    const receiver = await startReceiver(() => statuses.shift() ?? 200);
    try {
      const ticketId = await seedTicket();
      const { notify } = start(receiver.url);
      await notify({ assistantId: 'demo', ticketId, event: 'ticket.created' });

      const [delivery] = await eventually(
        async () => {
          const rows = await query<{ id: string; status: string; attempts: number }>(
            `SELECT id, status, attempts FROM webhook_deliveries WHERE ticket_id = $1`,
            [ticketId],
          );
          return rows[0]?.status === 'delivered' ? rows : undefined;
        },
        10_000,
        'the webhook to be delivered',
      );
      expect(delivery!.attempts).toBe(2);
      // The first answer was a 500: the retry carried the same delivery id and body.
      expect(receiver.received).toHaveLength(2);
      for (const hit of receiver.received) {
        expect(hit.verified).toBe(true);
        expect(hit.delivery).toBe(delivery!.id);
        expect(hit.body).toMatchObject({
          id: delivery!.id,
          event: 'ticket.created',
          ticket: {
            id: ticketId,
            priority: 3,
            reason: 'frustration',
            entities: { order_id: ['ORD-12345'] },
          },
          conversationUrl: `${CONSOLE}/tickets/${ticketId}`,
        });
      }
      expect(receiver.received[1]!.body).toEqual(receiver.received[0]!.body);

      // Slack was posted once, although the job ran twice.
      const posted = slack.messages.filter((m) =>
        m.blocks?.some((b) => b.block_id === `ticket:${ticketId}`),
      );
      expect(posted).toHaveLength(1);
      expect(posted[0]!.channel).toBe('CSUPPORT');
      const button = posted[0]!.blocks!.flatMap((b) => b.elements ?? [])[0];
      expect(button).toMatchObject({ action_id: CLAIM_ACTION_ID, value: ticketId });
      const [ticket] = await query<{ notification_ref: string }>(
        `SELECT notification_ref FROM handoff_tickets WHERE id = $1`,
        [ticketId],
      );
      expect(ticket!.notification_ref).toBe(`CSUPPORT:${posted[0]!.ts}`);
    } finally {
      await receiver.close();
    }
  });

  it('marks the delivery failed with the error after the last attempt (the dead-letter list)', async () => {
    const receiver = await startReceiver(() => 503);
    try {
      const ticketId = await seedTicket();
      const { notify } = start(receiver.url);
      await notify({ assistantId: 'demo', ticketId, event: 'ticket.escalated', escalation: 1 });

      const [delivery] = await eventually(
        async () => {
          const rows = await query<{
            id: string;
            status: string;
            attempts: number;
            last_error: string;
            event: string;
          }>(`SELECT * FROM webhook_deliveries WHERE ticket_id = $1`, [ticketId]);
          return rows[0]?.status === 'failed' ? rows : undefined;
        },
        10_000,
        'the delivery to be dead-lettered',
      );
      expect(delivery).toMatchObject({
        event: 'ticket.escalated',
        attempts: 3,
        last_error: 'receiver answered HTTP 503',
      });
      expect(new Set(receiver.received.map((r) => r.delivery))).toEqual(new Set([delivery!.id]));
      expect(receiver.received).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });
});
