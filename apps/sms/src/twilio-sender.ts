import twilio, { type Twilio } from 'twilio';

import { SendError, type ChannelSender } from '@parley/channels';
import type { OutboundReply } from '@parley/contracts';
import type { DeliveryAddress } from '@parley/db';

import type { SmsConfig } from './config';
import { splitForSms } from './segments';

/** Twilio's error for a number that texted STOP. */
const OPTED_OUT = 21610;
/** Errors of a connection that never carried the request: safe to send again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Sends replies through Twilio's Messages API with the official SDK. Plain text (the output guard
 * wrote quick replies as numbered options), split where a segment ends when over 1,600
 * characters; each message reports its status to /sms/status with the reply's id.
 */
export class TwilioSender implements ChannelSender {
  private readonly client: Twilio;

  constructor(private readonly config: SmsConfig) {
    this.client = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, {
      timeout: config.TWILIO_TIMEOUT_MS,
      // Retries are Parley's, so that a retried send is never a duplicate.
      autoRetry: false,
    });
    this.client.api.baseUrl = config.TWILIO_API_BASE_URL;
  }

  bucket(address: DeliveryAddress): string {
    return this.fromFor(address);
  }

  async send(
    address: DeliveryAddress,
    reply: OutboundReply,
  ): Promise<{ providerMessageId?: string }> {
    const from = this.fromFor(address);
    const statusCallback = `${this.config.SMS_PUBLIC_URL.replace(/\/$/, '')}/sms/status?reply=${reply.id}`;
    let providerMessageId: string | undefined;
    for (const body of splitForSms(reply.text)) {
      try {
        const message = await this.client.messages.create({
          to: address.externalId,
          body,
          statusCallback,
          ...(from.startsWith('MG') ? { messagingServiceSid: from } : { from }),
        });
        providerMessageId ??= message.sid;
      } catch (error) {
        throw sendErrorOf(error);
      }
    }
    return providerMessageId ? { providerMessageId } : {};
  }

  /** Twilio WhatsApp customers are answered from the WhatsApp sender. */
  private fromFor(address: DeliveryAddress): string {
    return address.externalId.startsWith('whatsapp:')
      ? (this.config.TWILIO_WHATSAPP_FROM ?? this.config.TWILIO_FROM)
      : this.config.TWILIO_FROM;
  }
}

function sendErrorOf(error: unknown): SendError {
  const { status, code, message } = error as {
    status?: number;
    code?: number | string;
    message?: string;
  };
  const text = message ?? String(error);
  if (code === OPTED_OUT) return new SendError(`Twilio ${code}: ${text}`, 'opted_out');
  if (typeof status === 'number') {
    if (status === 429 || status >= 500) return new SendError(`Twilio ${status}: ${text}`, 'retry');
    return new SendError(`Twilio ${status}${code ? ` (${code})` : ''}: ${text}`, 'rejected');
  }
  if (typeof code === 'string' && NOT_SENT.has(code)) return new SendError(text, 'retry');
  return new SendError(`Twilio call ended without an answer: ${text}`, 'unknown');
}
