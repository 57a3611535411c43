import { SendError, type ChannelSender } from '@parley/channels';
import type { OutboundReply } from '@parley/contracts';
import type { DeliveryAddress } from '@parley/db';
import type { Logger } from '@parley/platform';

import type { CloudSettings, WhatsAppConfig } from '../config';
import { INTERACTIVE, interactiveFor, toWhatsAppText } from '../render/whatsapp-format';

/** Free-form messages are allowed this long after the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60_000;
/** Graph error codes of throttling: the number's or the pair's rate, or the app's. */
const THROTTLED = new Set([4, 80007, 130429, 131048, 131056]);
/** The customer last wrote more than 24 hours ago: only a template may be sent. */
const OUTSIDE_WINDOW = 131047;
/** Errors of a connection that never carried the request: safe to send again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

type MessageBody =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: ReturnType<typeof interactiveFor> }
  | { type: 'template'; template: { name: string; language: { code: string } } };

/**
 * Sends replies through the WhatsApp Cloud API. Meta publishes no Node SDK for it, so this speaks
 * the documented wire protocol with Node's fetch (undici): `POST {graph}/{version}/{phone number
 * id}/messages` with the access token as Bearer. Text in WhatsApp markup, quick replies as
 * interactive buttons or a list; outside the 24-hour window, the configured template instead.
 */
export class CloudSender implements ChannelSender {
  private readonly endpoint: string;
  /** Customers sent the template lately: one per lapsed window, not one per reply. */
  private readonly templated = new Map<string, number>();

  constructor(
    private readonly config: WhatsAppConfig,
    private readonly cloud: CloudSettings,
    private readonly logger: Logger,
    private readonly onTemplate: () => void = () => undefined,
  ) {
    const base = config.WHATSAPP_GRAPH_URL.replace(/\/$/, '');
    this.endpoint = `${base}/${config.WHATSAPP_GRAPH_VERSION}/${cloud.phoneNumberId}/messages`;
  }

  bucket(): string {
    return this.cloud.phoneNumberId;
  }

  async send(
    address: DeliveryAddress,
    reply: OutboundReply,
  ): Promise<{ providerMessageId?: string }> {
    const to = address.externalId;
    if (Date.now() - address.lastSeenAt.getTime() > SERVICE_WINDOW_MS) {
      return this.sendTemplate(to, reply, 'the customer last wrote more than 24 hours ago');
    }
    try {
      return await this.sendFree(to, reply);
    } catch (error) {
      if (error instanceof GraphError && error.code === OUTSIDE_WINDOW) {
        return this.sendTemplate(to, reply, error.message);
      }
      throw error instanceof GraphError ? error.sendError : error;
    }
  }

  /** The reply's text, and its quick replies as buttons or a list. */
  private async sendFree(to: string, reply: OutboundReply): Promise<{ providerMessageId: string }> {
    const text = toWhatsAppText(reply.text);
    const choices = reply.quickReplies ?? [];
    if (choices.length === 0) {
      return this.post(to, { type: 'text', text: { body: text, preview_url: true } });
    }
    if (text.length <= INTERACTIVE.body && text.trim()) {
      return this.post(to, { type: 'interactive', interactive: interactiveFor(text, choices) });
    }
    // An interactive body holds 1,024 characters: the text goes first, the choices after it.
    const first = await this.post(to, { type: 'text', text: { body: text, preview_url: true } });
    try {
      await this.post(to, {
        type: 'interactive',
        interactive: interactiveFor('Choose one:', choices),
      });
    } catch (error) {
      // The text is out: retrying would send it twice. The customer can still type a choice.
      this.logger.warn({ err: String(error), replyId: reply.id }, 'quick replies not sent');
    }
    return first;
  }

  private async sendTemplate(
    to: string,
    reply: OutboundReply,
    why: string,
  ): Promise<{ providerMessageId?: string }> {
    const name = this.config.WHATSAPP_TEMPLATE_NAME;
    if (!name) {
      throw new SendError(`${why}; no WHATSAPP_TEMPLATE_NAME is set`, 'rejected');
    }
    const last = this.templated.get(to);
    if (last !== undefined && Date.now() - last < SERVICE_WINDOW_MS) {
      throw new SendError(
        `${why}; the template was sent already, awaiting the customer`,
        'rejected',
      );
    }
    try {
      const sent = await this.post(to, {
        type: 'template',
        template: { name, language: { code: this.config.WHATSAPP_TEMPLATE_LANGUAGE } },
      });
      this.templated.set(to, Date.now());
      this.onTemplate();
      this.logger.info({ replyId: reply.id, template: name }, `sent template instead: ${why}`);
      return sent;
    } catch (error) {
      throw error instanceof GraphError ? error.sendError : error;
    }
  }

  private async post(to: string, body: MessageBody): Promise<{ providerMessageId: string }> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.cloud.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to,
          ...body,
        }),
        signal: AbortSignal.timeout(this.config.WHATSAPP_TIMEOUT_MS),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code && NOT_SENT.has(code))
        throw new SendError(`Graph API unreachable: ${code}`, 'retry');
      throw new SendError(`Graph API call ended without an answer: ${String(error)}`, 'unknown');
    }
    const answer = (await response.json().catch(() => ({}))) as GraphAnswer;
    if (response.ok) {
      const id = answer.messages?.[0]?.id;
      if (!id) throw new SendError('Graph API accepted the message without an id', 'unknown');
      return { providerMessageId: id };
    }
    throw new GraphError(response.status, answer.error, response.headers.get('retry-after'));
  }
}

interface GraphAnswer {
  messages?: { id: string }[];
  error?: { message?: string; code?: number; error_subcode?: number };
}

/** A Graph API error answer, classified for the delivery worker. */
class GraphError extends Error {
  readonly code: number | undefined;
  readonly sendError: SendError;

  constructor(status: number, error: GraphAnswer['error'], retryAfter: string | null) {
    const code = error?.code;
    const message = `Graph ${status}${code ? ` (${code})` : ''}: ${error?.message ?? 'no message'}`;
    super(message);
    this.code = code;
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    const retryAfterMs = Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;
    this.sendError =
      status === 429 || status >= 500 || (code !== undefined && THROTTLED.has(code))
        ? new SendError(message, 'retry', retryAfterMs)
        : new SendError(message, 'rejected');
  }
}
