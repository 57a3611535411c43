import { SendError, type ChannelSender } from '@parley/channels';
import type { OutboundReply } from '@parley/contracts';
import type { DeliveryAddress } from '@parley/db';

import { toWhatsAppText } from '../render/whatsapp-format';
import type { WebJsBridge } from './webjs-bridge';

/** While the session is down, replies are retried this often (without using up attempts). */
const WAIT_FOR_SESSION_MS = 10_000;

/**
 * Sends replies through the linked WhatsApp Web session. WhatsApp Web has no working buttons for
 * linked devices, so quick replies are numbered options (the engine reads a digit as the option).
 */
export class WebJsSender implements ChannelSender {
  constructor(private readonly bridge: WebJsBridge) {}

  bucket(): string {
    return 'webjs';
  }

  async send(
    address: DeliveryAddress,
    reply: OutboundReply,
  ): Promise<{ providerMessageId?: string }> {
    if (!this.bridge.connected) {
      throw new SendError('WhatsApp Web is disconnected', 'retry', WAIT_FOR_SESSION_MS);
    }
    const choices = reply.quickReplies ?? [];
    const text = [
      toWhatsAppText(reply.text),
      ...(choices.length ? ['', ...choices.map((choice, i) => `${i + 1}. ${choice}`)] : []),
    ].join('\n');
    try {
      const { id } = await this.bridge.client.sendMessage(address.externalId, text);
      return { providerMessageId: id };
    } catch (error) {
      // The page may have sent it before failing: never sent twice.
      throw new SendError(`WhatsApp Web send failed: ${String(error)}`, 'unknown');
    }
  }
}
