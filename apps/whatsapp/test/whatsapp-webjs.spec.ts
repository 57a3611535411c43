import { randomBytes, randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createLogger, createMetricsRegistry, startService } from '@parley/platform';
import {
  eventually,
  freePort,
  query,
  seedDemoKnowledge,
  startSuite,
  type Suite,
} from '@parley/testing';

import { whatsappConfigSchema } from '../src/config';
import type {
  WebMessage,
  WhatsAppClient,
  WhatsAppClientEvents,
} from '../src/webjs/whatsapp-client';
import { WhatsAppModule } from '../src/whatsapp.module';

/** Stands in for whatsapp-web.js: the test plays WhatsApp Web's events, sends are recorded. */
class FakeWhatsAppClient implements WhatsAppClient {
  readonly events = new EventEmitter();
  readonly sent: { chatId: string; text: string }[] = [];
  /** The chats shown "typing…", in order. */
  readonly typed: string[] = [];
  initialized = 0;
  destroyed = 0;

  on<E extends keyof WhatsAppClientEvents>(event: E, listener: WhatsAppClientEvents[E]): void {
    this.events.on(event, listener);
  }
  emit<E extends keyof WhatsAppClientEvents>(
    event: E,
    ...args: Parameters<WhatsAppClientEvents[E]>
  ): void {
    this.events.emit(event, ...args);
  }
  initialize(): Promise<void> {
    this.initialized += 1;
    return Promise.resolve();
  }
  sendMessage(chatId: string, text: string): Promise<{ id: string }> {
    this.sent.push({ chatId, text });
    return Promise.resolve({ id: `true_${chatId}_${randomBytes(8).toString('hex')}` });
  }
  typing(chatId: string): Promise<void> {
    this.typed.push(chatId);
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    this.destroyed += 1;
    return Promise.resolve();
  }
}

const chat = () => `4915${String(randomInt(0, 10_000_000)).padStart(7, '0')}@c.us`;
const message = (from: string, body: string): WebMessage => ({
  id: `false_${from}_${randomBytes(10).toString('hex').toUpperCase()}`,
  from,
  body,
  timestamp: Math.floor(Date.now() / 1000),
  fromMe: false,
});

/** webjs mode in-process with a fake client, the rest of the suite as real processes. */
describe('WhatsApp channel (whatsapp-web.js mode)', () => {
  let suite: Suite;
  let app: NestFastifyApplication;
  let url: string;
  const client = new FakeWhatsAppClient();

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'whatsapp-webjs' });
    const port = await freePort();
    const config = whatsappConfigSchema.parse({
      ...suite.env,
      WHATSAPP_MODE: 'webjs',
      WHATSAPP_WEBJS_SEND_RATE_PER_SECOND: '20',
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    const logger = createLogger('whatsapp', 'silent');
    const metrics = createMetricsRegistry('whatsapp');
    app = await startService({
      name: 'whatsapp',
      module: WhatsAppModule.forRoot(config, logger, metrics, { webClient: client }),
      logger,
      metrics,
      host: '127.0.0.1',
      port,
      shutdownTimeoutSeconds: 5,
    });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    await suite?.stop();
  });

  const connectedGauge = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return /^parley_whatsapp_connected(?:\{[^}]*\})? (\d)/m.exec(text)?.[1];
  };
  const sentTo = (chatId: string) => client.sent.filter((m) => m.chatId === chatId);

  it('shows the QR code on the page until linked, and reports not connected', async () => {
    expect(client.initialized).toBe(1);
    client.emit('qr', '2@abcDEF123,xyz456,uvw789==');
    const page = await fetch(`${url}/whatsapp/qr`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('2@abcDEF123,xyz456,uvw789==');
    expect(html).toContain('<svg');
    // Nothing fetched from elsewhere: no scripts, no linked assets.
    expect(html).not.toMatch(/<script|\b(?:src|href)=/);
    expect(await connectedGauge()).toBe('0');
  });

  it('answers a customer once through the client, though WhatsApp Web repeated the message', async () => {
    client.emit('ready');
    expect(await connectedGauge()).toBe('1');
    expect(await (await fetch(`${url}/whatsapp/qr`)).text()).toMatch(/Linked/);
    const customer = chat();
    const incoming = message(customer, 'How long does a refund take to reach my card?');
    client.emit('message', incoming);
    client.emit('message', incoming);
    // Its own messages and group chats are not turns.
    client.emit('message', { ...message(customer, 'note to self'), fromMe: true });
    client.emit('message', message('120363025@g.us', 'hello group'));
    const [reply] = await eventually(
      () => Promise.resolve(sentTo(customer).length ? sentTo(customer) : undefined),
      15_000,
      'a reply through the client',
    );
    expect(reply!.text).toMatch(/5 to 10 business days/);
    expect(reply!.text).not.toMatch(/\*\*/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(customer)).toHaveLength(1);
    const stored = await query('SELECT 1 FROM messages WHERE provider_message_id = $1', [
      incoming.id,
    ]);
    expect(stored).toHaveLength(1);
  });

  it('shows typing in the chat once for an accepted message, not for its repeat, its own or a group', async () => {
    const customer = chat();
    const group = '120363026@g.us';
    const incoming = message(customer, 'Do you ship to Canada?');
    client.emit('message', incoming);
    client.emit('message', incoming);
    client.emit('message', { ...message(customer, 'note to self'), fromMe: true });
    client.emit('message', message(group, 'hello group'));
    await eventually(
      () => Promise.resolve(sentTo(customer).length ? true : undefined),
      15_000,
      'a reply through the client',
    );
    expect(client.typed.filter((id) => id === customer)).toEqual([customer]);
    expect(client.typed).not.toContain(group);
  });

  it('on disconnect drops the gauge, reconnects with backoff and sends the queued reply once back', async () => {
    const before = client.initialized;
    client.emit('disconnected', 'NAVIGATION');
    expect(await connectedGauge()).toBe('0');
    const customer = chat();
    client.emit('message', message(customer, 'Do you ship to Canada?'));
    await eventually(
      () => Promise.resolve(client.initialized > before ? true : undefined),
      5_000,
      'a reconnect',
    );
    expect(client.destroyed).toBeGreaterThan(0);
    // Down: the reply waits in its queue.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentTo(customer)).toHaveLength(0);
    client.emit('ready');
    const [reply] = await eventually(
      () => Promise.resolve(sentTo(customer).length ? sentTo(customer) : undefined),
      20_000,
      'the queued reply',
    );
    expect(reply!.text).toMatch(/Canada/);
    expect(await connectedGauge()).toBe('1');
  });
});
