import { randomBytes, randomInt } from 'node:crypto';

import {
  eventually,
  postTwilioWebhook,
  query,
  seedDemoKnowledge,
  startApp,
  startFakeTwilio,
  startSuite,
  type FakeTwilio,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-auth-token-for-tests';
const FROM = '+15005550006';
const WHATSAPP_FROM = 'whatsapp:+15005550007';
/** The public URL Twilio is given; the app itself listens on 127.0.0.1 behind "a proxy". */
const PUBLIC_URL = 'https://parley.example.com';
const INBOUND_LIMIT = 5;

const number = () => `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
const messageSid = () => `SM${randomBytes(16).toString('hex')}`;

/**
 * The SMS channel through the whole suite: Twilio's signed webhooks in, the official SDK out to a
 * fake Twilio REST API, real Postgres and Redis in between.
 */
describe('SMS channel (Twilio)', () => {
  let suite: Suite;
  let twilio: FakeTwilio;
  let sms: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    twilio = await startFakeTwilio(ACCOUNT_SID, AUTH_TOKEN);
    suite = await startSuite({ label: 'sms' });
    sms = await startApp('sms', {
      ...suite.env,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_API_BASE_URL: twilio.url,
      SMS_PUBLIC_URL: PUBLIC_URL,
      SMS_SEND_RATE_PER_SECOND: '20',
      SMS_INBOUND_PER_MINUTE: String(INBOUND_LIMIT),
    });
  });
  afterAll(async () => {
    await sms?.stop();
    await suite?.stop();
    await twilio?.close();
  });

  /** A customer's text as Twilio delivers it: signed over the public URL. */
  const text = (
    from: string,
    body: string,
    options: { sid?: string; signature?: string | null; signedUrl?: string } = {},
  ) =>
    postTwilioWebhook(
      `${sms.url}/sms/inbound`,
      options.signedUrl ?? `${PUBLIC_URL}/sms/inbound`,
      AUTH_TOKEN,
      {
        ToCountry: 'US',
        SmsMessageSid: options.sid ?? messageSid(),
        NumMedia: '0',
        SmsStatus: 'received',
        Body: body,
        To: FROM,
        MessageSid: options.sid ?? messageSid(),
        AccountSid: ACCOUNT_SID,
        From: from,
        ApiVersion: '2010-04-01',
      },
      options.signature === undefined ? {} : { signature: options.signature },
    );

  const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);
  const repliesTo = (to: string, count: number) =>
    eventually(
      () => Promise.resolve(sentTo(to).length >= count ? sentTo(to) : undefined),
      15_000,
      `${count} SMS to ${to}`,
    );
  const storedFrom = (from: string) =>
    query<{ id: string; text: string; provider_message_id: string }>(
      `SELECT m.id, m.text, m.provider_message_id FROM messages m
       JOIN channel_identities i ON i.id = (SELECT channel_identity_id FROM conversations WHERE id = m.conversation_id)
       WHERE i.channel = 'sms' AND i.external_id = $1 AND m.role = 'user' ORDER BY m.seq`,
      [from],
    );
  const replyRows = (to: string) =>
    query<{ id: string; delivery_status: string; delivery_error: string | null }>(
      `SELECT m.id, m.delivery_status, m.delivery_error FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = 'sms' AND i.external_id = $1 AND m.role = 'assistant' ORDER BY m.seq`,
      [to],
    );

  it('answers a signed text through Twilio once, though Twilio delivered the webhook twice', async () => {
    const customer = number();
    const sid = messageSid();
    const first = await text(customer, 'How long does a refund take to reach my card?', { sid });
    const again = await text(customer, 'How long does a refund take to reach my card?', { sid });
    expect(first.status).toBe(200);
    expect(first.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(again.status).toBe(200);

    const [reply] = await repliesTo(customer, 1);
    expect(reply).toMatchObject({ from: FROM, to: customer });
    expect(reply!.body).toMatch(/5 to 10 business days/);
    // Plain text: no markdown reaches a phone.
    expect(reply!.body).not.toMatch(/\*\*|__|\[[^\]]+\]\(/);
    expect(reply!.statusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/sms/status\\?reply=`));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(customer)).toHaveLength(1);
    expect(await storedFrom(customer)).toHaveLength(1);
    const [row] = await replyRows(customer);
    expect(row!.delivery_status).toBe('sent');
  });

  it('refuses bad, missing and wrongly addressed signatures with 403 and stores nothing', async () => {
    const customer = number();
    const bad = await text(customer, 'Hello?', { signature: 'bm90IGEgc2lnbmF0dXJl' });
    const missing = await text(customer, 'Hello?', { signature: null });
    // Signed for the address the app listens on, not the public one Twilio uses.
    const internal = await text(customer, 'Hello?', { signedUrl: `${sms.url}/sms/inbound` });
    for (const response of [bad, missing, internal]) {
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual({
        error: { code: 'signature_invalid', message: expect.any(String) as unknown },
      });
    }
    expect(await storedFrom(customer)).toHaveLength(0);
  });

  it('sends exactly once when Twilio first answers 429 and then 500', async () => {
    const customer = number();
    const attemptsBefore = twilio.attempts.length;
    twilio.fail({ status: 429 }, { status: 500 });
    await text(customer, 'Do you ship to Canada?');
    const [reply] = await repliesTo(customer, 1);
    expect(reply!.body).toMatch(/Canada/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(customer)).toHaveLength(1);
    expect(twilio.attempts.slice(attemptsBefore).filter((a) => a.to === customer)).toHaveLength(3);
  });

  it('writes quick replies as numbered options and reads a digit as the choice', async () => {
    const customer = number();
    await text(customer, 'Which countries do you ship to?');
    const [offer] = await repliesTo(customer, 1);
    expect(offer!.body).toMatch(/Would you like more detail\?\s+1\. More detail$/);
    await text(customer, '1');
    const [, detail] = await repliesTo(customer, 2);
    expect(detail!.body).toMatch(/Import duties/);
  });

  it('answers HELP at once; after STOP nothing is sent until START', async () => {
    const customer = number();
    const help = await text(customer, 'help');
    expect(help.text).toMatch(/<Message>Support assistant\. .*Reply STOP to opt out\.<\/Message>/);

    await text(customer, 'Do you ship to Canada?');
    await repliesTo(customer, 1);
    expect((await text(customer, 'STOP')).text).toMatch(/<Response><\/Response>/);
    await text(customer, 'How long does a refund take to reach my card?');
    const refused = await eventually(async () => {
      const rows = await replyRows(customer);
      return rows.length === 2 && rows[1]!.delivery_status === 'failed' ? rows[1] : undefined;
    });
    expect(refused.delivery_error).toMatch(/opted out/);
    expect(sentTo(customer)).toHaveLength(1);

    await text(customer, 'START');
    await text(customer, 'How long does a refund take to reach my card?');
    const [, back] = await repliesTo(customer, 2);
    expect(back!.body).toMatch(/5 to 10 business days/);
  });

  it("takes Twilio's 21610 as an opt-out: the reply fails with the reason, nothing more is tried", async () => {
    const customer = number();
    twilio.fail({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await text(customer, 'Do you ship to Canada?');
    const failed = await eventually(async () => {
      const [row] = await replyRows(customer);
      return row?.delivery_status === 'failed' ? row : undefined;
    });
    expect(failed.delivery_error).toMatch(/21610/);
    const [identity] = await query<{ opted_out_at: Date | null }>(
      `SELECT opted_out_at FROM channel_identities WHERE channel = 'sms' AND external_id = $1`,
      [customer],
    );
    expect(identity!.opted_out_at).not.toBeNull();
    expect(sentTo(customer)).toHaveLength(0);
  });

  it('records signed delivery statuses, whatever their order and however often they come', async () => {
    const customer = number();
    await text(customer, 'Do you ship to Canada?');
    const [sent] = await repliesTo(customer, 1);
    const callback = sent!.statusCallback!;
    const status = (MessageStatus: string, signature?: null) =>
      postTwilioWebhook(
        callback.replace(PUBLIC_URL, sms.url),
        callback,
        AUTH_TOKEN,
        { MessageSid: sent!.sid, MessageStatus, AccountSid: ACCOUNT_SID, To: customer, From: FROM },
        signature === null ? { signature: null } : {},
      );
    expect((await status('delivered')).status).toBe(204);
    expect((await status('sent')).status).toBe(204);
    expect((await status('delivered')).status).toBe(204);
    expect((await status('failed', null)).status).toBe(403);
    const [row] = await replyRows(customer);
    expect(row!.delivery_status).toBe('delivered');
    const [stored] = await query<{ provider_message_id: string }>(
      'SELECT provider_message_id FROM messages WHERE id = $1',
      [row!.id],
    );
    expect(stored!.provider_message_id).toBe(sent!.sid);
  });

  it("answers Twilio's WhatsApp addresses through the same app, from the WhatsApp sender", async () => {
    const customer = `whatsapp:${number()}`;
    await text(customer, 'Do you ship to Canada?');
    const [reply] = await repliesTo(customer, 1);
    expect(reply).toMatchObject({ from: WHATSAPP_FROM, to: customer });
  });

  it('lets one number send a few messages a minute, says so once, then drops the rest', async () => {
    const customer = number();
    const answers: string[] = [];
    for (let i = 0; i < INBOUND_LIMIT + 2; i++) {
      answers.push((await text(customer, `Question number ${i} about shipping`)).text);
    }
    expect(answers[INBOUND_LIMIT]).toMatch(/faster than I can answer/);
    expect(answers[INBOUND_LIMIT + 1]).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    );
    expect(await storedFrom(customer)).toHaveLength(INBOUND_LIMIT);
  });
});
