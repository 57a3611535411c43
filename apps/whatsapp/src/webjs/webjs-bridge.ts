import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { INTAKE, type ChannelIntake } from '@parley/channels';
import { CONFIG, LOGGER, METRICS, ShutdownCoordinator, type Logger } from '@parley/platform';

import type { WhatsAppConfig } from '../config';
import { WEB_CLIENT } from '../tokens';
import { qrText } from './qr-svg';
import type { WebMessage, WhatsAppClient } from './whatsapp-client';

const FIRST_RETRY_MS = 1_000;

/**
 * Runs the linked WhatsApp Web session: customer messages to the intake ("typing…" shown once one
 * is accepted), the QR code to the logs and the QR page until linked, and on `disconnected` an
 * alert (the gauge drops to 0, an error is logged) and reconnects with backoff. Replies wait in
 * their queue while it is down.
 */
@Injectable()
export class WebJsBridge implements OnApplicationBootstrap {
  /** The last QR code offered, until the session is linked. */
  qr: string | null = null;
  connected = false;
  private attempt = 0;
  private stopping = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly gauge: Gauge;

  constructor(
    @Inject(WEB_CLIENT) readonly client: WhatsAppClient,
    @Inject(INTAKE) private readonly intake: ChannelIntake,
    @Inject(CONFIG) private readonly config: WhatsAppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    @Inject(ShutdownCoordinator) shutdown: ShutdownCoordinator,
  ) {
    this.gauge = new Gauge({
      name: 'parley_whatsapp_connected',
      help: 'Whether the linked WhatsApp Web session is connected (1) or not (0)',
      registers: [metrics],
    });
    this.gauge.set(0);
    shutdown.register('work', () => this.stop());
  }

  onApplicationBootstrap(): void {
    this.client.on('qr', (qr) => {
      this.qr = qr;
      this.logger.warn(
        { qr },
        'WhatsApp Web is not linked: open /whatsapp/qr and scan the code with WhatsApp → Linked devices',
      );
      // Also drawn for an operator reading the logs in a terminal.
      process.stderr.write(`${qrText(qr)}\n`);
    });
    this.client.on('ready', () => {
      this.qr = null;
      this.connected = true;
      this.attempt = 0;
      this.gauge.set(1);
      this.logger.info('WhatsApp Web connected');
    });
    this.client.on('disconnected', (reason) => {
      this.connected = false;
      this.gauge.set(0);
      this.logger.error({ reason }, 'WhatsApp Web disconnected; reconnecting');
      this.schedule();
    });
    this.client.on('message', (message) => {
      this.receive(message).catch((error: unknown) =>
        // Not acknowledged to anyone: WhatsApp Web offers unread messages again on reconnect.
        this.logger.error({ err: error }, 'WhatsApp Web message not accepted'),
      );
    });
    // Chromium takes seconds to start: the service is ready without it, replies wait.
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.client.initialize();
    } catch (error) {
      this.logger.error({ err: error }, 'WhatsApp Web did not start');
      this.schedule();
    }
  }

  /** Restarts the client after 1 s, 2 s, 4 s … up to WHATSAPP_RECONNECT_MAX_MS. */
  private schedule(): void {
    if (this.stopping || this.retry) return;
    const delay = Math.min(
      FIRST_RETRY_MS * 2 ** this.attempt,
      this.config.WHATSAPP_RECONNECT_MAX_MS,
    );
    this.attempt += 1;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.client
        .destroy()
        .catch(() => undefined)
        .then(() => this.connect());
    }, delay);
    this.retry.unref();
  }

  private async receive(message: WebMessage): Promise<void> {
    // Parley answers people in one-to-one chats; its own messages, groups and statuses are not turns.
    if (message.fromMe || !message.from.endsWith('@c.us') || !message.body.trim()) return;
    const accepted = await this.intake.accept({
      channel: 'whatsapp',
      assistantId: this.config.PARLEY_ASSISTANT_ID,
      externalUserId: message.from,
      text: message.body,
      providerMessageId: message.id,
      verified: true,
    });
    if (accepted.kind !== 'accepted') return;
    // Best effort: the reply does not depend on it.
    this.client
      .typing(message.from)
      .catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'WhatsApp Web typing indicator not shown'),
      );
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    this.gauge.set(0);
    await this.client.destroy().catch(() => undefined);
  }
}
