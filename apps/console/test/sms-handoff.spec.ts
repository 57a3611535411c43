import { randomBytes, randomInt } from 'node:crypto';

import {
  eventually,
  postTwilioWebhook,
  query,
  seedDemoKnowledge,
  signInToConsole,
  startApp,
  startFakeTwilio,
  startSuite,
  type FakeTwilio,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-auth-token-for-handoff';
const FROM = '+15005550006';
const PUBLIC_URL = 'https://parley.example.com';
const ADMIN_EMAIL = 'sms-handoff-admin@example.com';
const PASSWORD = 'a long test password';

/**
 * A hand-over on a channel other than the web, through the whole suite: an SMS customer asks for
 * a person, the bot falls silent, an agent answers from the console and the reply reaches the
 * customer's phone through Twilio; resolving brings the bot back and the rating is stored.
 */
describe('hand-over over SMS', () => {
  let suite: Suite;
  let twilio: FakeTwilio;
  let sms: RunningApp;
  let consoleApp: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    twilio = await startFakeTwilio(ACCOUNT_SID, AUTH_TOKEN);
    suite = await startSuite({ label: 'sms-handoff' });
    [sms, consoleApp] = await Promise.all([
      startApp('sms', {
        ...suite.env,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: FROM,
        TWILIO_API_BASE_URL: twilio.url,
        SMS_PUBLIC_URL: PUBLIC_URL,
        SMS_SEND_RATE_PER_SECOND: '20',
      }),
      startApp('console', {
        ...suite.env,
        CONSOLE_COOKIE_SECURE: 'false',
        CONSOLE_ADMIN_EMAIL: ADMIN_EMAIL,
        CONSOLE_ADMIN_PASSWORD: PASSWORD,
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sms?.stop(), consoleApp?.stop()]);
    await suite?.stop();
    await twilio?.close();
  });

  const text = (from: string, body: string) =>
    postTwilioWebhook(`${sms.url}/sms/inbound`, `${PUBLIC_URL}/sms/inbound`, AUTH_TOKEN, {
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      From: from,
      To: FROM,
      Body: body,
      NumMedia: '0',
      AccountSid: ACCOUNT_SID,
    });
  const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to).map((m) => m.body);
  const smsCount = (to: string, count: number) =>
    eventually(
      () => Promise.resolve(sentTo(to).length >= count ? sentTo(to) : undefined),
      15_000,
      `${count} SMS to ${to}`,
    );

  it('hands an SMS customer to an agent, whose reply reaches their phone, and back', async () => {
    const customer = `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    await text(customer, 'I want to talk to a human');
    // The hand-over reply, then where they are in the queue.
    const [handover, notice] = await smsCount(customer, 2);
    expect(handover).toBeDefined();
    expect(notice).toMatch(/in line/);

    const ticket = await eventually(async () => {
      const [row] = await query<{ id: string; status: string; conversation_id: string }>(
        `SELECT t.id, t.status, t.conversation_id FROM handoff_tickets t
         JOIN conversations c ON c.id = t.conversation_id
         JOIN channel_identities i ON i.id = c.channel_identity_id
         WHERE i.channel = 'sms' AND i.external_id = $1`,
        [customer],
      );
      return row;
    });
    expect(ticket.status).toBe('open');

    // While a person has it, the bot is silent on SMS too.
    await text(customer, 'Hello? Is anyone there?');
    await eventually(async () => {
      const rows = await query(
        `SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'user' AND turn_status = 'done'`,
        [ticket.conversation_id],
      );
      return rows.length >= 2 ? true : undefined;
    });
    expect(sentTo(customer)).toHaveLength(2);

    // The agent signs in, claims and answers; Twilio gets the agent's words for that number.
    const agent = await signInToConsole(consoleApp.url, ADMIN_EMAIL, PASSWORD);
    expect((await agent.call('POST', `/tickets/${ticket.id}/claim`)).status).toBe(200);
    // Written in the console's Markdown; a phone shows it as plain text, as the bot's replies.
    const reply = 'Hi, this is Sam from support. I have your **order** in front of me now.';
    expect((await agent.call('POST', `/tickets/${ticket.id}/reply`, { text: reply })).status).toBe(
      201,
    );
    const [, , fromAgent] = await smsCount(customer, 3);
    expect(fromAgent).toBe('Hi, this is Sam from support. I have your order in front of me now.');

    // Resolved: the rating question arrives as numbered options; a digit is the rating.
    expect((await agent.call('POST', `/tickets/${ticket.id}/resolve`)).status).toBe(200);
    const [, , , question] = await smsCount(customer, 4);
    expect(question).toMatch(/1\. 1\n2\. 2\n3\. 3\n4\. 4\n5\. 5$/);
    await text(customer, '5');
    const [, , , , thanks] = await smsCount(customer, 5);
    expect(thanks).toMatch(/Thank you for rating us 5 out of 5/);
    const [conversation] = await query<{ status: string; csat: number }>(
      'SELECT status, csat FROM conversations WHERE id = $1',
      [ticket.conversation_id],
    );
    expect(conversation).toEqual({ status: 'bot', csat: 5 });
  });
});
