import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';
import {
  SLACK_BOT_USER as BOT_USER,
  eventually,
  postSlackWebhook,
  query,
  seedDemoKnowledge,
  slackButtonClick as clickOn,
  slackEventCallback as eventCallback,
  slackId as id,
  slackSignature,
  slackTs as newTs,
  sleep,
  startApp,
  startFakeSlack,
  startSuite,
  type FakeSlack,
  type RunningApp,
  type Suite,
  webhookSample as payload,
} from '@parley/testing';

import type { SlackConfig } from '../src/config';
import { SlackSender } from '../src/slack-sender';

const BOT_TOKEN = 'xoxb-1111-2222-parleytestbottoken';
const APP_TOKEN = 'xapp-1-A111-2222-parleytestapptoken';
const SIGNING_SECRET = 'slack-signing-secret-for-tests';

/**
 * The Slack channel through the whole suite: signed Events API and interactivity requests in, the
 * official Web API client out to a fake Slack, real Postgres and Redis in between.
 */
describe('Slack channel', () => {
  let suite: Suite;
  let slack: FakeSlack;
  let app: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    slack = await startFakeSlack(BOT_TOKEN, APP_TOKEN);
    suite = await startSuite({ label: 'slack' });
    app = await startApp('slack', {
      ...suite.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await suite?.stop();
    await slack?.close();
  });

  const events = (body: unknown, options: Parameters<typeof postSlackWebhook>[3] = {}) =>
    postSlackWebhook(`${app.url}/slack/events`, SIGNING_SECRET, JSON.stringify(body), options);

  const postedIn = (channel: string) => slack.messages.filter((m) => m.channel === channel);
  const postsIn = (channel: string, count: number) =>
    eventually(
      () => Promise.resolve(postedIn(channel).length >= count ? postedIn(channel) : undefined),
      15_000,
      `${count} Slack messages in ${channel}`,
    );
  const storedFrom = (user: string) =>
    query<{ id: string; text: string; provider_message_id: string; thread_key: string }>(
      `SELECT m.id, m.text, m.provider_message_id, c.thread_key FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = 'slack' AND i.external_id = $1 AND m.role = 'user' ORDER BY m.created_at, m.seq`,
      [user],
    );
  const repliesTo = (user: string) =>
    query<{
      id: string;
      delivery_status: string;
      delivery_error: string | null;
      provider_message_id: string | null;
    }>(
      `SELECT m.id, m.delivery_status, m.delivery_error, m.provider_message_id FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = 'slack' AND i.external_id = $1 AND m.role = 'assistant'
       ORDER BY m.created_at, m.seq`,
      [user],
    );

  it("answers Slack's url_verification with its challenge", async () => {
    const sample = payload('slack_url_verification.json');
    const response = await events(sample);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ challenge: sample.challenge });
  });

  it('answers a direct message once in the DM, though Slack retried the event twice', async () => {
    const user = id('U');
    const dm = id('D');
    const body = eventCallback(user, dm, 'How long does a refund take to reach my card?');
    const now = Math.floor(Date.now() / 1000);
    const started = Date.now();
    const first = await events(body, { timestamp: now - 2 });
    const ackMs = Date.now() - started;
    // Slack's retries are new requests (a new timestamp and signature) with the same event.
    const retries = [
      await events(body, { timestamp: now - 1, retryNum: 1 }),
      await events(body, { timestamp: now, retryNum: 2 }),
    ];
    expect(first.status).toBe(200);
    expect(ackMs).toBeLessThan(1_000);
    for (const retry of retries) expect(retry.status).toBe(200);

    const [reply] = await postsIn(dm, 1);
    expect(reply!.text).toMatch(/5 to 10 business days/);
    // A DM's top level is the conversation: answered there, not in a thread.
    expect(reply!.thread_ts).toBeUndefined();
    await sleep(500);
    expect(postedIn(dm)).toHaveLength(1);
    const stored = await storedFrom(user);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.provider_message_id).toBe(`${dm}:${body.event.ts}`);
    const [row] = await repliesTo(user);
    expect(row).toMatchObject({ delivery_status: 'sent', provider_message_id: reply!.ts });
  });

  it('answers a mention in a channel in its thread, once for its app_mention and message events', async () => {
    const user = id('U');
    const channel = id('C');
    const ts = newTs();
    const text = `<@${BOT_USER}> Do you ship to Canada?`;
    const mention = eventCallback(user, channel, text, { type: 'app_mention', ts });
    const message = eventCallback(user, channel, text, { channelType: 'channel', ts });
    expect((await events(mention)).status).toBe(200);
    expect((await events(message)).status).toBe(200);

    const [reply] = await postsIn(channel, 1);
    expect(reply!.thread_ts).toBe(ts);
    expect(reply!.text).toMatch(/Canada/);
    const stored = await storedFrom(user);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe('Do you ship to Canada?');
    expect(stored[0]!.thread_key).toBe(`${channel}:${ts}`);

    // A mention inside the thread continues that thread's conversation, answered there.
    const followUp = eventCallback(user, channel, `<@${BOT_USER}> How long does a refund take?`, {
      type: 'app_mention',
      threadTs: ts,
    });
    await events(followUp);
    const [, second] = await postsIn(channel, 2);
    expect(second!.thread_ts).toBe(ts);
    const [a, b] = await storedFrom(user);
    expect(b!.thread_key).toBe(a!.thread_key);
    await sleep(300);
    expect(postedIn(channel)).toHaveLength(2);
  });

  it("ignores channel chatter without a mention, bots' messages and its own", async () => {
    const user = id('U');
    const channel = id('C');
    // Slack's documented message.channels sample: a person talking in a channel, not to the app.
    const sample = payload('slack_event_callback_message.json');
    const chatter = {
      ...sample,
      event_id: id('Ev'),
      event: { ...(sample.event as object), user, channel, ts: newTs() },
    };
    const otherBot = eventCallback(user, channel, 'I am a bot', {
      channelType: 'im',
      extra: { bot_id: 'BOTHER', subtype: 'bot_message' },
    });
    const itself = eventCallback(BOT_USER, id('D'), 'my own reply', { channelType: 'im' });
    const edited = eventCallback(user, id('D'), 'edited', {
      extra: { subtype: 'message_changed' },
    });
    for (const body of [chatter, otherBot, itself, edited]) {
      expect((await events(body)).status).toBe(200);
    }
    await sleep(300);
    expect(await storedFrom(user)).toHaveLength(0);
    expect(await storedFrom(BOT_USER)).toHaveLength(0);
  });

  it('refuses bad, missing, stale, future and replayed signatures with 403 and stores nothing', async () => {
    const user = id('U');
    const dm = id('D');
    const body = eventCallback(user, dm, 'Where is my order?');
    const now = Math.floor(Date.now() / 1000);
    const bad = await events(body, { signature: `v0=${'ab'.repeat(32)}` });
    const missing = await events(body, { signature: null });
    const stale = await events(body, { timestamp: now - 6 * 60 });
    const future = await events(body, { timestamp: now + 6 * 60 });
    const otherSecret = await postSlackWebhook(
      `${app.url}/slack/events`,
      'not-the-signing-secret',
      JSON.stringify(body),
    );
    // The documented vector is genuine but from 2018: outside the window.
    const [vector] = (
      JSON.parse(readFileSync(path.join(PATHS.datasets, 'webhooks/signatures.json'), 'utf8')) as {
        slack: { body: string; timestamp: number; expected_signature: string }[];
      }
    ).slack;
    const documented = await postSlackWebhook(
      `${app.url}/slack/events`,
      SIGNING_SECRET,
      vector!.body,
      {
        contentType: 'application/x-www-form-urlencoded',
        timestamp: vector!.timestamp,
        signature: vector!.expected_signature,
      },
    );
    for (const response of [bad, missing, stale, future, otherSecret, documented]) {
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual({
        error: { code: 'signature_invalid', message: expect.any(String) as unknown },
      });
    }
    // A captured request sent again within the window: refused, its first delivery stands.
    const timestamp = now;
    const first = await events(body, { timestamp });
    const replayed = await events(body, { timestamp });
    expect(first.status).toBe(200);
    expect(replayed.status).toBe(403);
    await postsIn(dm, 1);
    expect(await storedFrom(user)).toHaveLength(1);

    // A body changed after signing: its signature no longer matches.
    const signed = JSON.stringify(eventCallback(user, dm, 'Hello'));
    const tampered = await postSlackWebhook(
      `${app.url}/slack/events`,
      SIGNING_SECRET,
      signed.replace('Hello', 'Refund me 1000'),
      { timestamp: now, signature: slackSignature(SIGNING_SECRET, now, signed) },
    );
    expect(tampered.status).toBe(403);
    expect(await storedFrom(user)).toHaveLength(1);
  });

  it('posts exactly once when Slack first answers 429 with Retry-After and then 500', async () => {
    const user = id('U');
    const dm = id('D');
    const before = slack.attempts.length;
    slack.fail({ status: 429, retryAfterSeconds: 2 }, { status: 500 });
    await events(eventCallback(user, dm, 'Do you ship to Canada?'));
    const [reply] = await postsIn(dm, 1);
    expect(reply!.text).toMatch(/Canada/);
    await sleep(500);
    expect(postedIn(dm)).toHaveLength(1);
    const attempts = slack.attempts.slice(before).filter((a) => a.channel === dm);
    expect(attempts).toHaveLength(3);
    // Retry-After was honoured: nothing was tried again for 2 seconds.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1_900);
    const [row] = await repliesTo(user);
    expect(row!.delivery_status).toBe('sent');
  });

  it('marks a reply Slack refuses for good as failed with the reason, and does not retry it', async () => {
    const user = id('U');
    const dm = id('D');
    const before = slack.attempts.length;
    slack.fail({ error: 'channel_not_found' });
    await events(eventCallback(user, dm, 'Do you ship to Canada?'));
    const failed = await eventually(async () => {
      const [row] = await repliesTo(user);
      return row?.delivery_status === 'failed' ? row : undefined;
    });
    expect(failed.delivery_error).toBe('Slack channel_not_found');
    await sleep(500);
    expect(slack.attempts.slice(before).filter((a) => a.channel === dm)).toHaveLength(1);
    expect(postedIn(dm)).toHaveLength(0);
  });

  it('offers quick replies as buttons and takes a click as the customer’s answer, once', async () => {
    const user = id('U');
    const channel = id('C');
    const ts = newTs();
    await events(
      eventCallback(user, channel, `<@${BOT_USER}> Which countries do you ship to?`, {
        type: 'app_mention',
        ts,
      }),
    );
    const [offer] = await postsIn(channel, 1);
    const actions = offer!.blocks?.find((b) => b.type === 'actions');
    expect(actions?.elements).toEqual([
      expect.objectContaining({
        type: 'button',
        value: 'More detail',
        text: expect.objectContaining({ text: 'More detail' }) as unknown,
      }),
    ]);
    // The text stays readable where blocks are not shown (notifications).
    expect(offer!.text).toMatch(/Would you like more detail\?/);
    expect(offer!.text).not.toMatch(/\*\*|\[[^\]]+\]\(/);

    const click = clickOn(offer!, user, actions!.elements![0]!.action_id!);
    const form = `payload=${encodeURIComponent(JSON.stringify(click))}`;
    const interactivity = (options: Parameters<typeof postSlackWebhook>[3] = {}) =>
      postSlackWebhook(`${app.url}/slack/interactivity`, SIGNING_SECRET, form, {
        contentType: 'application/x-www-form-urlencoded',
        ...options,
      });
    expect((await interactivity({ signature: null })).status).toBe(403);
    expect((await interactivity()).status).toBe(200);
    // Slack delivered the same click again (a new request, the same action).
    expect((await interactivity({ timestamp: Math.floor(Date.now() / 1000) - 1 })).status).toBe(
      200,
    );

    const [, detail] = await postsIn(channel, 2);
    expect(detail!.thread_ts).toBe(ts);
    expect(detail!.text).toMatch(/Import duties/);
    const stored = await storedFrom(user);
    expect(stored.map((m) => m.text)).toEqual(['Which countries do you ship to?', 'More detail']);
    expect(new Set(stored.map((m) => m.thread_key))).toEqual(new Set([`${channel}:${ts}`]));
  });

  it('posts about one message a second into one channel', async () => {
    const channel = id('C');
    const users = [id('U'), id('U'), id('U')];
    await Promise.all(
      users.map((user) =>
        events(
          eventCallback(user, channel, `<@${BOT_USER}> Do you ship to Canada?`, {
            type: 'app_mention',
          }),
        ),
      ),
    );
    await postsIn(channel, 3);
    const times = slack.attempts.filter((a) => a.channel === channel).map((a) => a.at);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(1_800);
  });

  it('takes the same events over Socket Mode, acknowledging each, one turn per message', async () => {
    const socketApp = await startApp('slack', {
      ...suite.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SOCKET_MODE: 'true',
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.url,
    });
    try {
      await eventually(() => Promise.resolve(slack.connections > 0 ? true : undefined));
      const user = id('U');
      const dm = id('D');
      const body = eventCallback(user, dm, 'How long does a refund take to reach my card?');
      const first = slack.push('events_api', body);
      const retry = slack.push('events_api', body, 1);
      const [reply] = await postsIn(dm, 1);
      expect(reply!.text).toMatch(/5 to 10 business days/);
      await eventually(() =>
        Promise.resolve(
          slack.acks.includes(first) && slack.acks.includes(retry) ? true : undefined,
        ),
      );
      await sleep(300);
      expect(postedIn(dm)).toHaveLength(1);
      expect(await storedFrom(user)).toHaveLength(1);
      // Without a signing secret the HTTP endpoint takes nothing.
      const http = await postSlackWebhook(
        `${socketApp.url}/slack/events`,
        SIGNING_SECRET,
        JSON.stringify(eventCallback(user, dm, 'Hello')),
      );
      expect(http.status).toBe(403);
    } finally {
      await socketApp.stop();
    }
  });
});

describe(SlackSender.name, () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack(BOT_TOKEN);
  });
  afterAll(() => slack?.close());

  const sender = () =>
    new SlackSender({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url,
      SLACK_TIMEOUT_MS: 5_000,
    } as SlackConfig);

  it('posts a reply over 4,000 characters as several messages in its thread, buttons under the last', async () => {
    const channel = id('C');
    const text = Array.from({ length: 1_200 }, (_, i) => `word${i} & more`).join(' ');
    const address = {
      channel: 'slack' as const,
      externalId: id('U'),
      threadKey: `${channel}:1.000100`,
      optedOut: false,
      lastSeenAt: new Date(),
    };
    const { providerMessageId } = await sender().send(address, {
      id: 'r1',
      role: 'assistant',
      text,
      quickReplies: ['Yes', 'No'],
    });
    const posted = slack.messages.filter((m) => m.channel === channel);
    expect(posted.length).toBeGreaterThan(1);
    expect(providerMessageId).toBe(posted[0]!.ts);
    for (const message of posted) {
      expect(message.thread_ts).toBe('1.000100');
      expect(message.text.length).toBeLessThanOrEqual(4_000);
    }
    expect(posted.slice(0, -1).every((m) => m.blocks === undefined)).toBe(true);
    expect(
      posted
        .at(-1)!
        .blocks!.at(-1)!
        .elements!.map((e) => e.value),
    ).toEqual(['Yes', 'No']);
    expect(posted.map((m) => m.text).join(' ')).toBe(text.replace(/&/g, '&amp;'));
  });

  it('waits out a 429 on a later part of a long reply instead of sending the first part twice', async () => {
    const channel = id('C');
    const text = Array.from({ length: 1_000 }, (_, i) => `word${i}`).join(' ');
    const address = {
      channel: 'slack' as const,
      externalId: id('U'),
      threadKey: channel,
      optedOut: false,
      lastSeenAt: new Date(),
    };
    // The first part goes through; the second is rate limited once.
    slack.fail(null, { status: 429, retryAfterSeconds: 1 });
    await sender().send(address, { id: 'r2', role: 'assistant', text });
    const attempts = slack.attempts.filter((a) => a.channel === channel);
    const posted = slack.messages.filter((m) => m.channel === channel);
    expect(posted.length).toBeGreaterThan(1);
    expect(attempts).toHaveLength(posted.length + 1);
    expect(new Set(posted.map((m) => m.text)).size).toBe(posted.length);
    expect(posted.map((m) => m.text).join(' ')).toBe(text);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(900);
  });
});
