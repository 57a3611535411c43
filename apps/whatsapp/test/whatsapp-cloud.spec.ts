import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';
import { createLogger } from '@parley/platform';
import {
  eventually,
  graphMessageText as textOf,
  metaJson,
  postWhatsAppMessage,
  postWhatsAppWebhook,
  query,
  seedDemoKnowledge,
  startApp,
  startFakeGraphApi,
  startSuite,
  whatsappChoiceMessage,
  whatsappMessageId as wamid,
  whatsappTextMessage as textMessage,
  whatsappWebhook,
  type FakeGraphApi,
  type RunningApp,
  type Suite,
} from '@parley/testing';

import { CloudSender } from '../src/cloud/cloud-sender';
import { cloudSettings, whatsappConfigSchema } from '../src/config';

/** The business number of Meta's sample payload, so the sample is used as it is. */
const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'graph-access-token-for-tests';
const APP_SECRET = 'meta-app-secret-for-tests';
const VERIFY_TOKEN = 'meatyhamhock';
const TEMPLATE = 'parley_follow_up';

const waId = () => `1650555${String(randomInt(0, 100_000)).padStart(5, '0')}`;
const now = () => String(Math.floor(Date.now() / 1000));
const samples = path.join(PATHS.datasets, 'webhooks/payloads');
const sample = <T>(file: string): T => {
  const { _provenance, ...payload } = JSON.parse(
    readFileSync(path.join(samples, file), 'utf8'),
  ) as Record<string, unknown>;
  void _provenance;
  return payload as T;
};

/**
 * The WhatsApp Cloud API channel through the whole suite: Meta's signed webhooks in, the Graph API
 * wire protocol out to a fake Graph API, real Postgres and Redis in between.
 */
describe('WhatsApp channel (Cloud API)', () => {
  let suite: Suite;
  let graph: FakeGraphApi;
  let whatsapp: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    graph = await startFakeGraphApi(PHONE_NUMBER_ID, ACCESS_TOKEN);
    suite = await startSuite({ label: 'whatsapp' });
    whatsapp = await startApp('whatsapp', {
      ...suite.env,
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_TEMPLATE_NAME: TEMPLATE,
    });
  });
  afterAll(async () => {
    await whatsapp?.stop();
    await suite?.stop();
    await graph?.close();
  });

  const webhookUrl = () => `${whatsapp.url}/whatsapp/webhook`;
  /** A customer message as Meta delivers it: serialised with \uXXXX escapes, signed. */
  const send = (
    message: { from: string } & Record<string, unknown>,
    options: { signature?: string | null } = {},
  ) => postWhatsAppMessage(webhookUrl(), APP_SECRET, PHONE_NUMBER_ID, message, options);
  const repliesTo = (to: string, count: number) =>
    eventually(
      () => Promise.resolve(graph.sentTo(to).length >= count ? graph.sentTo(to) : undefined),
      15_000,
      `${count} WhatsApp messages to ${to}`,
    );
  const storedFrom = (from: string) =>
    query<{ text: string; provider_message_id: string }>(
      `SELECT m.text, m.provider_message_id FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = 'whatsapp' AND i.external_id = $1 AND m.role = 'user' ORDER BY m.seq`,
      [from],
    );
  const replyRows = (to: string) =>
    query<{ id: string; delivery_status: string; provider_message_id: string | null }>(
      `SELECT m.id, m.delivery_status, m.provider_message_id FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = 'whatsapp' AND i.external_id = $1 AND m.role = 'assistant' ORDER BY m.seq`,
      [to],
    );

  it("answers Meta's verification GET with hub.challenge only for the right verify token", async () => {
    const { query: params } = sample<{ query: Record<string, string> }>(
      'whatsapp_cloud_verify_get.json',
    );
    const get = (overrides: Record<string, string>) =>
      fetch(`${webhookUrl()}?${new URLSearchParams({ ...params, ...overrides }).toString()}`);
    const ok = await get({});
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrongs: Record<string, string>[] = [
      { 'hub.verify_token': 'not-the-token' },
      { 'hub.mode': 'unsubscribe' },
    ];
    for (const wrong of wrongs) {
      const refused = await get(wrong);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain('1158201444');
    }
  });

  it("takes Meta's sample message, signed, and answers it once though delivered twice", async () => {
    const customer = waId();
    const payload = sample<ReturnType<typeof whatsappWebhook>>('whatsapp_cloud_messages_text.json');
    const value = (payload.entry as { changes: { value: Record<string, unknown> }[] }[])[0]!
      .changes[0]!.value;
    const id = wamid();
    // Meta's sample, addressed from a fresh customer with a fresh id and today's time.
    value.contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: customer }];
    value.messages = [{ ...(value.messages as object[])[0], from: customer, id, timestamp: now() }];
    const first = await postWhatsAppWebhook(webhookUrl(), APP_SECRET, payload);
    const again = await postWhatsAppWebhook(webhookUrl(), APP_SECRET, payload);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const [reply] = await repliesTo(customer, 1);
    expect(reply!.body).toMatchObject({ messaging_product: 'whatsapp', to: customer });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
    expect(await storedFrom(customer)).toEqual([
      { text: 'Does it come in another color?', provider_message_id: id },
    ]);
  });

  it('renders the reply in WhatsApp markup and records it sent with its wamid', async () => {
    const customer = waId();
    await send(textMessage(customer, 'How long does a refund take to reach my card?'));
    const [reply] = await repliesTo(customer, 1);
    expect(reply!.type).toBe('text');
    expect(textOf(reply!)).toMatch(/5 to 10 business days/);
    expect(textOf(reply!)).not.toMatch(/\*\*|__|\[[^\]]+\]\(/);
    const [row] = await eventually(async () => {
      const rows = await replyRows(customer);
      return rows[0]?.delivery_status === 'sent' ? rows : undefined;
    });
    expect(row!.provider_message_id).toBe(reply!.id);
  });

  it("marks the customer's message read with one typing indicator before the reply, none for its redelivery", async () => {
    const customer = waId();
    const message = textMessage(customer, 'Do you ship to Canada?');
    expect((await send(message)).status).toBe(200);
    const [reply] = await repliesTo(customer, 1);
    expect(graph.typingFor(message.id)).toEqual([
      expect.objectContaining({ messageId: message.id, typing: true, status: 200 }),
    ]);
    const replyAttempt = graph.attempts.find((a) => a.to === customer)!;
    // Started as the message is taken, so it shows while the turn runs (allowing for a close race).
    expect(graph.typingFor(message.id)[0]!.at).toBeLessThanOrEqual(replyAttempt.at + 1_000);
    // Meta redelivers the same webhook: no second indicator, no second reply.
    expect((await send(message)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.typingFor(message.id)).toHaveLength(1);
    expect(graph.sentTo(customer)).toEqual([reply]);
    // Typing requests are not messages: nothing was sent to anyone without a recipient.
    expect(graph.sentTo('')).toEqual([]);
  });

  it('shows no typing indicator for a message over a minute old, yet answers it', async () => {
    const customer = waId();
    const late = String(Math.floor(Date.now() / 1000) - 120);
    const message = textMessage(customer, 'Do you ship to Canada?', wamid(), late);
    expect((await send(message)).status).toBe(200);
    await repliesTo(customer, 1);
    expect(graph.readReceipts.filter((r) => r.messageId === message.id)).toEqual([]);
  });

  it('answers the webhook and sends the reply though the typing request fails with 500', async () => {
    const customer = waId();
    graph.failReads({ status: 500 });
    const message = textMessage(customer, 'Do you ship to Canada?');
    expect((await send(message)).status).toBe(200);
    const [reply] = await repliesTo(customer, 1);
    expect(textOf(reply!)).toMatch(/Canada/);
    expect(graph.typingFor(message.id)).toEqual([expect.objectContaining({ status: 500 })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('refuses bad, missing, wrong-secret, tampered, re-serialised and stale signatures with 403; nothing is stored', async () => {
    const customer = waId();
    const message = textMessage(customer, 'Grüße, wie lange dauert eine Erstattung? みどりいろ');
    const payload = whatsappWebhook(PHONE_NUMBER_ID, { messages: [message] });
    const escaped = metaJson(payload);
    const sign = (secret: string, body: string) =>
      postWhatsAppWebhook(webhookUrl(), secret, null, { raw: body });
    const { createHmac } = await import('node:crypto');
    const signatureOver = (body: string) =>
      `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
    const stale = whatsappWebhook(PHONE_NUMBER_ID, {
      messages: [textMessage(customer, 'Hello again', wamid(), '1749416383')],
    });
    const responses = [
      await send(message, { signature: 'sha256=' + '0'.repeat(64) }),
      await send(message, { signature: null }),
      await sign('another-apps-secret', escaped),
      // Signed over one body, carrying another.
      await postWhatsAppWebhook(webhookUrl(), APP_SECRET, null, {
        raw: escaped.replace('Erstattung', 'Auszahlung'),
        signature: signatureOver(escaped),
      }),
      // Signed over Meta's escaped bytes, sent as raw UTF-8 (what a re-serialising proxy does).
      await postWhatsAppWebhook(webhookUrl(), APP_SECRET, null, {
        raw: JSON.stringify(payload),
        signature: signatureOver(escaped),
      }),
      // A correctly signed delivery older than Meta ever redelivers: a replay.
      await postWhatsAppWebhook(webhookUrl(), APP_SECRET, stale),
    ];
    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual({
        error: { code: 'signature_invalid', message: expect.any(String) as unknown },
      });
    }
    expect(await storedFrom(customer)).toHaveLength(0);
    // The same bytes, correctly signed, are taken, their unicode intact.
    expect((await sign(APP_SECRET, escaped)).status).toBe(200);
    const [stored] = await storedFrom(customer);
    expect(stored!.text).toBe('Grüße, wie lange dauert eine Erstattung? みどりいろ');
    await repliesTo(customer, 1);
  });

  it('sends exactly once when the Graph API first answers 429 and then 500', async () => {
    const customer = waId();
    graph.fail({ status: 429, code: 130429, retryAfterSeconds: 1 }, { status: 500 });
    await send(textMessage(customer, 'Do you ship to Canada?'));
    const [reply] = await repliesTo(customer, 1);
    expect(textOf(reply!)).toMatch(/Canada/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
    expect(graph.attempts.filter((a) => a.to === customer)).toHaveLength(3);
  });

  it('offers quick replies as buttons and reads the tapped button as the choice', async () => {
    const customer = waId();
    await send(textMessage(customer, 'Which countries do you ship to?'));
    const [offer] = await repliesTo(customer, 1);
    expect(offer!.type).toBe('interactive');
    const interactive = offer!.body.interactive as {
      type: string;
      action: { buttons: { reply: { id: string; title: string } }[] };
    };
    expect(interactive.type).toBe('button');
    const button = interactive.action.buttons.find((b) => b.reply.title === 'More detail')!;
    expect(button).toBeDefined();
    await send(whatsappChoiceMessage(customer, 'button_reply', button.reply));
    const [, detail] = await repliesTo(customer, 2);
    expect(textOf(detail!)).toMatch(/Import duties/);
    expect((await storedFrom(customer))[1]!.text).toBe('More detail');
  });

  it('records signed statuses forward only, whatever their order and however often they come', async () => {
    const customer = waId();
    await send(textMessage(customer, 'Do you ship to Canada?'));
    const [sent] = await repliesTo(customer, 1);
    await eventually(async () =>
      (await replyRows(customer))[0]?.delivery_status === 'sent' ? true : undefined,
    );
    const status = (value: string, signature?: null) =>
      postWhatsAppWebhook(
        webhookUrl(),
        APP_SECRET,
        whatsappWebhook(PHONE_NUMBER_ID, {
          statuses: [{ id: sent!.id, status: value, timestamp: now(), recipient_id: customer }],
        }),
        signature === null ? { signature: null } : {},
      );
    expect((await status('delivered')).status).toBe(200);
    expect((await status('sent')).status).toBe(200);
    expect((await status('delivered')).status).toBe(200);
    expect((await status('failed', null)).status).toBe(403);
    expect((await replyRows(customer))[0]!.delivery_status).toBe('delivered');
    expect((await status('read')).status).toBe(200);
    expect((await status('failed')).status).toBe(200);
    expect((await replyRows(customer))[0]!.delivery_status).toBe('read');
  });

  it('sends the configured template when Meta answers 131047 (outside the 24-hour window)', async () => {
    const customer = waId();
    graph.fail({ status: 400, code: 131047, message: 'Re-engagement message' });
    await send(textMessage(customer, 'Do you ship to Canada?'));
    const [template] = await repliesTo(customer, 1);
    expect(template!.type).toBe('template');
    expect(template!.body.template).toEqual({ name: TEMPLATE, language: { code: 'en_US' } });
    const [row] = await eventually(async () => {
      const rows = await replyRows(customer);
      return rows[0]?.delivery_status === 'sent' ? rows : undefined;
    });
    expect(row!.provider_message_id).toBe(template!.id);
  });

  it('sends the template instead of free text once the customer last wrote over 24 hours ago, once per lapsed window', async () => {
    const config = whatsappConfigSchema.parse({
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_TEMPLATE_NAME: TEMPLATE,
      WHATSAPP_TEMPLATE_LANGUAGE: 'de',
    });
    const sender = new CloudSender(config, cloudSettings(config), createLogger('test', 'silent'));
    const customer = waId();
    const address = {
      channel: 'whatsapp' as const,
      externalId: customer,
      threadKey: null,
      optedOut: false,
      lastSeenAt: new Date(Date.now() - 25 * 60 * 60_000),
    };
    const reply = { id: 'r1', role: 'assistant' as const, text: 'Your parcel left today.' };
    const { providerMessageId } = await sender.send(address, reply);
    expect(graph.sentTo(customer)).toEqual([
      expect.objectContaining({ id: providerMessageId, type: 'template' }),
    ]);
    expect(graph.sentTo(customer)[0]!.body.template).toEqual({
      name: TEMPLATE,
      language: { code: 'de' },
    });
    // A second reply in the same lapsed window is not another template.
    await expect(sender.send(address, { ...reply, id: 'r2' })).rejects.toMatchObject({
      failure: 'rejected',
    });
    // Within the window: free text.
    await sender.send({ ...address, lastSeenAt: new Date() }, { ...reply, id: 'r3' });
    expect(graph.sentTo(customer).map((m) => m.type)).toEqual(['template', 'text']);
  });
});
