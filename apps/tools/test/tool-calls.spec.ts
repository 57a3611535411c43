import { randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';

import { JobName, QueueName, jobIdFor, type PostMessageResponse } from '@parley/contracts';
import { queuePrefix } from '@parley/queue';
import {
  postMessage,
  query,
  startApp,
  startSuite,
  testEnv,
  type Suite,
  signedIn,
} from '@parley/testing';

const say = (suite: Suite, userId: string, text: string, conversationId?: string) =>
  postMessage<PostMessageResponse>(suite.web.url, {
    ...signedIn(userId),
    text,
    ...(conversationId ? { conversationId } : {}),
  });

describe('tool calls in the tools app', () => {
  describe('with the tools app running', () => {
    let suite: Suite;
    beforeAll(async () => {
      suite = await startSuite({ label: 'tools-up' });
    });
    afterAll(() => suite?.stop());

    it("runs a turn's tool call as a job on the tools queue and answers with its result", async () => {
      const res = await say(suite, `u-${randomUUID()}`, 'Where is my order ORD-10482?');
      expect(res.body.replies[0]!.text).toMatch(/on its way with UPS/);

      const [message] = await query<{ id: string }>(
        `SELECT id FROM messages WHERE conversation_id = $1 AND role = 'user'`,
        [res.body.conversationId],
      );
      const queue = new Queue(QueueName.Tools, {
        connection: { url: testEnv().REDIS_URL },
        prefix: queuePrefix(suite.env.PARLEY_QUEUE_PREFIX!),
      });
      try {
        const job = await queue.getJob(jobIdFor('tool', message!.id, 'get_order_status'));
        expect(job?.name).toBe(JobName.ToolCall);
        expect(job?.returnvalue).toMatchObject({ outcome: 'shipped' });
        // The payload carries the masked arguments, and the ledger has the call once.
        expect(job?.data).toMatchObject({
          tool: 'get_order_status',
          args: { order_id: 'ORD-10482' },
        });
      } finally {
        await queue.close();
      }
      const calls = await query<{ tool: string }>(
        'SELECT tool FROM tool_calls WHERE message_id = $1',
        [message!.id],
      );
      expect(calls).toEqual([{ tool: 'get_order_status' }]);
    });

    it('asks an anonymous visitor to sign in instead of looking up an order', async () => {
      const before = suite.shop.requests.length;
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: `visitor-${randomUUID()}`,
        text: 'Where is my order ORD-10482?',
      });
      expect(res.body.replies[0]!.text).toMatch(/once you're signed in/);
      expect(res.body.replies[0]!.text).not.toMatch(/UPS/);
      expect(suite.shop.requests.length).toBe(before);
      // A question anyone may ask is still answered.
      const policy = await postMessage<PostMessageResponse>(suite.web.url, {
        userId: `visitor-${randomUUID()}`,
        text: 'I forgot my password, my email is pat@example.com',
      });
      expect(policy.body.replies.at(-1)!.text).not.toMatch(/signed in/);
    });

    it("refuses a signed-in customer another customer's order, and audits it", async () => {
      const res = await say(suite, `u-${randomUUID()}`, 'Where is my order ORD-77001?');
      expect(res.body.replies[0]!.text).toMatch(/isn't linked to your account/);
      const audit = await query<{ action: string; reason: string }>(
        `SELECT a.action, a.details->>'reason' AS reason
         FROM audit_log a JOIN tool_calls t ON t.id::text = a.target_id
         WHERE t.conversation_id = $1`,
        [res.body.conversationId],
      );
      expect(audit).toEqual([{ action: 'tool.refused', reason: 'the API refused this customer' }]);
    });
  });

  describe('with the tools app down', () => {
    let suite: Suite;
    beforeAll(async () => {
      suite = await startSuite({ label: 'tools-down', tools: false, env: { TOOL_WAIT_MS: '800' } });
    });
    afterAll(() => suite?.stop());

    it('tells the customer politely instead of hanging, and the call never happens later', async () => {
      const before = suite.shop.requests.length;
      const res = await say(suite, `u-${randomUUID()}`, 'Where is my order ORD-55120?');
      expect(res.status).toBe(200);
      expect(res.body.replies[0]!.text).toMatch(/couldn't reach our systems/);

      // The tools app comes back: the withdrawn call is not run behind the customer's back.
      const tools = await startApp('tools', suite.env);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(suite.shop.requests.length).toBe(before);
        // And the next attempt works.
        const again = await say(suite, `u-${randomUUID()}`, 'Where is my order ORD-55120?');
        expect(again.body.replies[0]!.text).toMatch(/being packed/);
      } finally {
        await tools.stop();
      }
    });
  });
});
