import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Database } from '@parley/db';
import type { Logger } from '@parley/platform';
import { Client, RemoteAuth, type Message } from 'whatsapp-web.js';

import type { WhatsAppConfig } from '../config';
import { PostgresSessionStore } from './session-store';
import type { WhatsAppClient, WhatsAppClientEvents } from './whatsapp-client';

/**
 * whatsapp-web.js behind Parley's interface: Chromium from the OS (never a downloaded browser),
 * the session kept in Postgres through RemoteAuth. Each initialize builds a new library client,
 * since one that was destroyed cannot start again.
 */
class WebJsClient implements WhatsAppClient {
  private readonly events = new EventEmitter();
  private client: Client | null = null;
  private readonly store: PostgresSessionStore;
  private readonly dataPath: string;

  constructor(
    private readonly config: WhatsAppConfig,
    db: Database,
    private readonly logger: Logger,
  ) {
    this.dataPath = path.join(os.tmpdir(), `parley-wwebjs-${config.WHATSAPP_SESSION_ID}`);
    mkdirSync(this.dataPath, { recursive: true });
    this.store = new PostgresSessionStore(db, this.dataPath);
  }

  on<E extends keyof WhatsAppClientEvents>(event: E, listener: WhatsAppClientEvents[E]): void {
    this.events.on(event, listener);
  }

  async initialize(): Promise<void> {
    const client = new Client({
      authStrategy: new RemoteAuth({
        store: this.store,
        clientId: this.config.WHATSAPP_SESSION_ID,
        dataPath: this.dataPath,
        backupSyncIntervalMs: this.config.WHATSAPP_SESSION_BACKUP_MS,
      }),
      puppeteer: {
        executablePath: this.config.WHATSAPP_CHROMIUM_PATH,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      },
    });
    client.on('qr', (qr: string) => this.events.emit('qr', qr));
    client.on('ready', () => this.events.emit('ready'));
    client.on('remote_session_saved', () => this.logger.info('WhatsApp session saved to Postgres'));
    client.on('disconnected', (reason: unknown) =>
      this.events.emit('disconnected', String(reason)),
    );
    client.on('message', (message: Message) =>
      this.events.emit('message', {
        id: message.id._serialized,
        from: message.from,
        body: message.body,
        timestamp: message.timestamp,
        fromMe: message.fromMe,
      }),
    );
    this.client = client;
    await client.initialize();
  }

  async sendMessage(chatId: string, text: string): Promise<{ id: string }> {
    if (!this.client) throw new Error('the WhatsApp Web client is not started');
    const sent = await this.client.sendMessage(chatId, text);
    return { id: sent.id._serialized };
  }

  async typing(chatId: string): Promise<void> {
    if (!this.client) throw new Error('the WhatsApp Web client is not started');
    const chat = await this.client.getChatById(chatId);
    await chat.sendStateTyping();
  }

  async destroy(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.destroy();
  }
}

export function createWebJsClient(
  config: WhatsAppConfig,
  db: Database,
  logger: Logger,
): WhatsAppClient {
  return new WebJsClient(config, db, logger);
}
