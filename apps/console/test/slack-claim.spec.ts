import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { PostMessageResponse } from '@parley/contracts';
import {
  eventually,
  postMessage,
  postSlackWebhook,
  query,
  seedDemoKnowledge,
  slackSignature,
  startApp,
  startFakeSlack,
  startSuite,
  type FakeSlack,
  type RunningApp,
  type SlackPosted,
  type Suite,
} from '@parley/testing';

const BOT_TOKEN = 'xoxb-support-channel-test';
const CHANNEL = 'CSUPPORT01';
const SIGNING_SECRET = 'support-channel-signing-secret-0123';

interface Answer {
  response_type?: string;
  text?: string;
}

/** Slack's `response_url` side: collects what the console answers each click (by path). */
async function startResponseReceiver() {
  const answers = new Map<string, Answer[]>();
  const server = http.createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const list = answers.get(request.url ?? '') ?? [];
      list.push(JSON.parse(raw) as Answer);
      answers.set(request.url ?? '', list);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** A fresh response_url, one per click. */
    newUrl: () => `${base}/actions/${randomUUID()}`,
    answersTo: (url: string) => answers.get(new URL(url).pathname) ?? [],
    get total() {
      return [...answers.values()].reduce((n, list) => n + list.length, 0);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Slack Claim button (console)', () => {
  let suite: Suite;
  let consoleApp: RunningApp;
  let slack: FakeSlack;
  let receiver: Awaited<ReturnType<typeof startResponseReceiver>>;
  const agents: Record<'dana' | 'eli', { id: string; email: string; name: string }> = {} as never;

  async function createAgent(key: 'dana' | 'eli', name: string) {
    const id = randomUUID();
    const email = `${key}-${id.slice(0, 8)}@example.com`;
    await query(
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1, 'demo', $2, $3, 'agent'::"AgentRole", 'unused')`,
      [id, email, name],
    );
    agents[key] = { id, email, name };
  }

  /** A customer who asked for a human: its ticket, and the notice the notifier posted for it. */
  async function ticketWithNotice(): Promise<{ ticketId: string; notice: SlackPosted }> {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId: `user-${randomUUID()}`,
      text: 'I want to talk to a human',
    });
    expect(res.body.status).toBe('handoff');
    const ticketId = await eventually(async () => {
      const [row] = await query<{ id: string }>(
        'SELECT id FROM handoff_tickets WHERE conversation_id = $1',
        [res.body.conversationId],
      );
      return row?.id;
    });
    const notice = await eventually(
      () =>
        Promise.resolve(
          slack.messages.find((m) => m.blocks?.some((b) => b.block_id === `ticket:${ticketId}`)),
        ),
      15_000,
      'the ticket notice in Slack',
    );
    return { ticketId, notice };
  }

  /** A ticket of another assistant, as the orchestrator leaves one. */
  async function otherAssistantTicket(): Promise<string> {
    const [row] = await query<{ id: string }>(
      `WITH cu AS (INSERT INTO customers (id, assistant_id, updated_at)
                   VALUES (gen_random_uuid(), 'other', now()) RETURNING id),
            ci AS (INSERT INTO channel_identities (id, assistant_id, customer_id, channel, external_id)
                   SELECT gen_random_uuid(), 'other', cu.id, 'web', $1 FROM cu
                   RETURNING id, customer_id),
            co AS (INSERT INTO conversations (id, assistant_id, customer_id, channel_identity_id,
                                              channel, status, escalation_reason, updated_at)
                   SELECT gen_random_uuid(), 'other', ci.customer_id, ci.id, 'web', 'handoff',
                          'requested', now() FROM ci RETURNING id)
       INSERT INTO handoff_tickets (id, assistant_id, conversation_id, status, priority, reason)
       SELECT gen_random_uuid(), 'other', co.id, 'open', 2, 'requested' FROM co RETURNING id`,
      [`other-${randomUUID()}`],
    );
    return row!.id;
  }

  /** The block_actions payload Slack sends when `slackUserId` clicks Claim on `notice`. */
  function clickBody(
    ticketId: string,
    slackUserId: string,
    responseUrl: string,
    notice?: SlackPosted,
  ): string {
    const ts = notice?.ts ?? '1700000000.000001';
    const channel = notice?.channel ?? CHANNEL;
    const payload = {
      type: 'block_actions',
      user: { id: slackUserId, username: slackUserId.toLowerCase(), team_id: 'T0PARLEY' },
      api_app_id: 'A0SUPPORT',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
      trigger_id: '123.456.abc',
      team: { id: 'T0PARLEY', domain: 'parley' },
      channel: { id: channel, name: 'support' },
      message: { type: 'message', ts, text: notice?.text ?? '', blocks: notice?.blocks ?? [] },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: 'ticket.claim',
          block_id: `ticket:${ticketId}`,
          value: ticketId,
          text: { type: 'plain_text', text: 'Claim' },
          action_ts: String(Date.now() / 1000),
        },
      ],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  function click(
    body: string,
    options: {
      timestamp?: number;
      signature?: string | null;
      secret?: string;
      app?: RunningApp;
    } = {},
  ) {
    return postSlackWebhook(
      `${(options.app ?? consoleApp).url}/console/slack/interactivity`,
      options.secret ?? SIGNING_SECRET,
      body,
      {
        contentType: 'application/x-www-form-urlencoded',
        ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
        ...(options.signature !== undefined ? { signature: options.signature } : {}),
      },
    );
  }

  async function ticketRow(id: string) {
    const [row] = await query<{ status: string; assigned_agent_id: string | null }>(
      'SELECT status, assigned_agent_id FROM handoff_tickets WHERE id = $1',
      [id],
    );
    return row;
  }

  async function answerTo(responseUrl: string): Promise<Answer> {
    return eventually(
      () => Promise.resolve(receiver.answersTo(responseUrl)[0]),
      10_000,
      'the ephemeral answer',
    );
  }

  beforeAll(async () => {
    await seedDemoKnowledge();
    slack = await startFakeSlack(BOT_TOKEN);
    receiver = await startResponseReceiver();
    suite = await startSuite({ label: 'slack-claim' });
    consoleApp = await startApp('console', {
      ...suite.env,
      CONSOLE_COOKIE_SECURE: 'false',
      HANDOFF_SLACK_BOT_TOKEN: BOT_TOKEN,
      HANDOFF_SLACK_CHANNEL: CHANNEL,
      HANDOFF_SLACK_API_URL: slack.url,
      HANDOFF_SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    await createAgent('dana', 'Dana Scully');
    await createAgent('eli', 'Eli <Vance>');
    // Slack keeps the case people typed; the console stores emails in lower case.
    slack.addUser({ id: 'UDANA', name: 'dana', email: agents.dana.email.toUpperCase() });
    slack.addUser({ id: 'UELI', name: 'eli', email: agents.eli.email });
    slack.addUser({ id: 'USTRANGER', name: 'stranger', email: 'stranger@example.com' });
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await suite?.stop();
    await slack?.close();
    await receiver?.close();
  });

  it('claims the ticket for the agent with the clicking Slack user’s email and marks the notice', async () => {
    const { ticketId, notice } = await ticketWithNotice();
    const responseUrl = receiver.newUrl();
    const started = Date.now();
    const res = await click(clickBody(ticketId, 'UDANA', responseUrl, notice));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);

    await eventually(
      async () => ((await ticketRow(ticketId))?.status === 'claimed' ? true : undefined),
      10_000,
      'the claim',
    );
    expect(await ticketRow(ticketId)).toEqual({
      status: 'claimed',
      assigned_agent_id: agents.dana.id,
    });
    const update = await eventually(
      () => Promise.resolve(slack.updates.find((u) => u.ts === notice.ts)),
      10_000,
      'chat.update',
    );
    expect(update.channel).toBe(notice.channel);
    expect(update.text).toBe('Claimed by Dana Scully');
    expect(update.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(update.blocks)).toContain('Claimed by Dana Scully');
    // The notice's own text is kept.
    expect(update.blocks?.[0]).toEqual(notice.blocks?.[0]);
    const shown = slack.messages.find((m) => m.ts === notice.ts)!;
    expect(JSON.stringify(shown.blocks)).not.toContain('ticket.claim');
    expect(receiver.answersTo(responseUrl)).toEqual([]);
  });

  it('tells a second agent, and only them, who has the ticket; nothing changes', async () => {
    const { ticketId, notice } = await ticketWithNotice();
    await click(clickBody(ticketId, 'UDANA', receiver.newUrl(), notice));
    await eventually(() => Promise.resolve(slack.updates.find((u) => u.ts === notice.ts)), 10_000);
    const updates = slack.updates.length;

    const responseUrl = receiver.newUrl();
    const res = await click(clickBody(ticketId, 'UELI', responseUrl, notice));
    expect(res.status).toBe(200);
    const answer = await answerTo(responseUrl);
    expect(answer).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'This ticket is already claimed by Dana Scully.',
    });
    expect(await ticketRow(ticketId)).toEqual({
      status: 'claimed',
      assigned_agent_id: agents.dana.id,
    });
    expect(slack.updates.length).toBe(updates);
  });

  it('refuses a Slack user with no agent account, and one Slack does not know', async () => {
    const { ticketId, notice } = await ticketWithNotice();
    const strangerUrl = receiver.newUrl();
    expect((await click(clickBody(ticketId, 'USTRANGER', strangerUrl, notice))).status).toBe(200);
    const answer = await answerTo(strangerUrl);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('no console agent with your Slack email');

    const ghostUrl = receiver.newUrl();
    expect((await click(clickBody(ticketId, 'UGHOST', ghostUrl, notice))).status).toBe(200);
    expect((await answerTo(ghostUrl)).text).toContain('could not read your Slack profile');

    expect(await ticketRow(ticketId)).toEqual({ status: 'open', assigned_agent_id: null });
    expect(slack.updates.some((u) => u.ts === notice.ts)).toBe(false);
  });

  it('refuses a resolved ticket', async () => {
    const { ticketId, notice } = await ticketWithNotice();
    await query(
      `UPDATE handoff_tickets SET status = 'resolved'::"TicketStatus", resolved_at = now()
       WHERE id = $1`,
      [ticketId],
    );
    const responseUrl = receiver.newUrl();
    await click(clickBody(ticketId, 'UELI', responseUrl, notice));
    expect((await answerTo(responseUrl)).text).toBe('This ticket is resolved already.');
    expect(await ticketRow(ticketId)).toEqual({ status: 'resolved', assigned_agent_id: null });
    expect(slack.updates.some((u) => u.ts === notice.ts)).toBe(false);
  });

  it('refuses another assistant’s ticket', async () => {
    const ticketId = await otherAssistantTicket();
    const responseUrl = receiver.newUrl();
    expect((await click(clickBody(ticketId, 'UDANA', responseUrl))).status).toBe(200);
    expect((await answerTo(responseUrl)).text).toBe(
      'This ticket is not in this console, so it was not claimed.',
    );
    expect(await ticketRow(ticketId)).toEqual({ status: 'open', assigned_agent_id: null });
  });

  it('refuses (403) a click with a wrong, missing or stale signature, and changes nothing', async () => {
    const { ticketId, notice } = await ticketWithNotice();
    const responseUrl = receiver.newUrl();
    const body = clickBody(ticketId, 'UDANA', responseUrl, notice);
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await click(body, { secret: 'not-the-signing-secret-at-all' }),
      await click(body, { signature: null }),
      await click(body, { timestamp: now - 6 * 60 }),
      await click(body, { timestamp: now + 6 * 60 }),
      // Signed, then changed on the way.
      await click(body, {
        signature: slackSignature(SIGNING_SECRET, now, `${body}x`),
        timestamp: now,
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      const body = JSON.parse(res.text) as { error: { code: string } };
      expect(body.error.code).toBe('signature_invalid');
    }
    await pause(500);
    expect(await ticketRow(ticketId)).toEqual({ status: 'open', assigned_agent_id: null });
    expect(slack.updates.some((u) => u.ts === notice.ts)).toBe(false);
    expect(receiver.answersTo(responseUrl)).toEqual([]);
  });

  it('takes forms on the interactivity URL only: the JSON API still refuses them (415)', async () => {
    const res = await fetch(`${consoleApp.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40example.com&password=x',
    });
    expect(res.status).toBe(415);
  });

  it('answers 404 on the interactivity URL while HANDOFF_SLACK_SIGNING_SECRET is unset', async () => {
    const bare = await startApp('console', {
      ...suite.env,
      // Its own queues: its notifier (with no Slack) must not take this suite's notices.
      PARLEY_QUEUE_PREFIX: `${suite.env.PARLEY_QUEUE_PREFIX}-bare`,
      CONSOLE_COOKIE_SECURE: 'false',
    });
    try {
      const res = await click(clickBody(randomUUID(), 'UDANA', receiver.newUrl()), { app: bare });
      expect(res.status).toBe(404);
    } finally {
      await bare.stop();
    }
  });
});
