import type { Logger } from '@parley/platform';

import type { CloudSettings, WhatsAppConfig } from '../config';

/** An older message is a redelivery: the customer is not watching for an answer to it now. */
export const TYPING_MAX_AGE_MS = 60_000;

/**
 * Marks a customer's message read and shows the typing indicator in one Graph API call, as Meta
 * documents it; WhatsApp shows it until the reply arrives or 25 seconds pass. Best effort: it
 * never delays or fails the webhook, a failure is only logged.
 */
export class CloudTypingIndicator {
  private readonly endpoint: string;

  constructor(
    private readonly config: WhatsAppConfig,
    private readonly cloud: CloudSettings,
    private readonly logger: Logger,
  ) {
    const base = config.WHATSAPP_GRAPH_URL.replace(/\/$/, '');
    this.endpoint = `${base}/${config.WHATSAPP_GRAPH_VERSION}/${cloud.phoneNumberId}/messages`;
  }

  /** Starts the request and returns at once; skipped for a message older than a minute. */
  show(message: { id: string; at: Date }): void {
    if (Date.now() - message.at.getTime() > TYPING_MAX_AGE_MS) return;
    this.post(message.id).catch((error: unknown) =>
      this.logger.warn(
        { err: String(error), providerMessageId: message.id },
        'WhatsApp typing indicator not shown',
      ),
    );
  }

  private async post(messageId: string): Promise<void> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.cloud.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        typing_indicator: { type: 'text' },
      }),
      signal: AbortSignal.timeout(this.config.WHATSAPP_TIMEOUT_MS),
    });
    if (!response.ok) {
      const answer = (await response.json().catch(() => ({}))) as {
        error?: { code?: number; message?: string };
      };
      const code = answer.error?.code;
      throw new Error(
        `Graph ${response.status}${code ? ` (${code})` : ''}: ${answer.error?.message ?? 'no message'}`,
      );
    }
    // Drained so the connection goes back to the pool.
    await response.arrayBuffer();
  }
}
