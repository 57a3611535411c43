import { randomUUID } from 'node:crypto';

import WebSocket from 'ws';

import type { PostMessageResponse } from '@parley/contracts';
import {
  FAST_RECOVERY_ENV,
  eventually,
  postMessage,
  query,
  seedDemoKnowledge,
  startSuite,
  type Suite,
} from '@parley/testing';

/**
 * The sweeper is what makes "stored" and "answered" agree after crashes. These tests put the
 * database in the state a crash leaves behind and watch the running suite repair it.
 */
describe('maintenance sweeper', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'sweeper', env: FAST_RECOVERY_ENV });
  });
  afterAll(() => suite?.stop());

  async function openConversation(): Promise<string> {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId: `sweep-${randomUUID()}`,
      text: 'Hello',
    });
    return res.body.conversationId;
  }

  it('runs the turn of a message that was stored but never queued', async () => {
    const conversationId = await openConversation();
    // What a web process leaves when it dies (or Redis is down) between storing and enqueueing.
    const [message] = await query<{ id: string }>(
      `WITH conv AS (UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq)
       INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                             provider_message_id, turn_status, created_at)
       SELECT gen_random_uuid(), 'demo', conv.id, conv.last_seq, 'user', 'web',
              'How long does a refund take?', $2, 'pending', now() - interval '5 seconds'
       FROM conv RETURNING id`,
      [conversationId, `orphan-${randomUUID()}`],
    );

    const reply = await eventually(
      async () => {
        const [row] = await query<{ text: string; delivery_status: string }>(
          `SELECT text, delivery_status FROM messages WHERE in_reply_to_id = $1`,
          [message!.id],
        );
        return row?.delivery_status === 'sent' ? row : undefined;
      },
      15_000,
      'the sweeper to run the forgotten turn',
    );
    expect(reply.text).toMatch(/5 to 10 business days/);
  });

  it('delivers a reply that was committed but never handed to its channel', async () => {
    const conversationId = await openConversation();
    const socket = new WebSocket(
      `${suite.web.url.replace('http', 'ws')}/api/v1/stream?conversationId=${conversationId}`,
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const received = new Promise<string>((resolve) =>
      socket.on('message', (data: WebSocket.RawData) => resolve((data as Buffer).toString('utf8'))),
    );

    // What an orchestrator leaves when it dies between committing a turn and dispatching it.
    const replyId = randomUUID();
    await query(
      `WITH conv AS (UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq)
       INSERT INTO messages (id, assistant_id, conversation_id, seq, role, channel, text,
                             delivery_status, created_at)
       SELECT $2, 'demo', conv.id, conv.last_seq, 'assistant', 'web', 'A reply lost in transit',
              'queued', now() - interval '5 seconds'
       FROM conv`,
      [conversationId, replyId],
    );

    const event = JSON.parse(await received) as { replies: { id: string; text: string }[] };
    socket.close();
    expect(event.replies).toEqual([
      expect.objectContaining({ id: replyId, text: 'A reply lost in transit' }),
    ]);
    await eventually(async () => {
      const [row] = await query<{ delivery_status: string }>(
        `SELECT delivery_status FROM messages WHERE id = $1`,
        [replyId],
      );
      return row?.delivery_status === 'sent' ? true : undefined;
    });
  });
});
