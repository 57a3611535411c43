import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { startLocalServer, type LocalServer } from './local-server';

/** A message the Cloud API accepted: what the customer's phone would show. */
export interface GraphMessage {
  id: string;
  to: string;
  type: 'text' | 'interactive' | 'template';
  /** The request body as posted. */
  body: Record<string, unknown>;
}

/** What the next send request gets instead of success (Graph error codes: 130429, 131047, …). */
export interface GraphFailure {
  status: 400 | 401 | 429 | 500 | 503;
  code?: number;
  message?: string;
  retryAfterSeconds?: number;
}

/** A "mark as read" request on a customer's message, with or without the typing indicator. */
export interface GraphReadReceipt {
  at: number;
  /** The customer's wamid it marks read. */
  messageId: string;
  typing: boolean;
  /** What the fake answered: 200, or a scripted failure's status. */
  status: number;
}

/**
 * Meta's Graph API for WhatsApp Cloud API sends (`POST /{version}/{phone-number-id}/messages`,
 * JSON, Bearer token), checking what Meta checks (button and list limits) and answering as Meta
 * does, so Parley's sender runs against it unchanged. Read receipts and typing indicators share
 * the path but are recorded apart: they are not messages sent.
 */
export class FakeGraphApi {
  readonly messages: GraphMessage[] = [];
  /** Every send request, failed or not, in order. */
  readonly attempts: { at: number; to: string; type: string }[] = [];
  /** Every read-receipt (and typing indicator) request, failed or not, in order. */
  readonly readReceipts: GraphReadReceipt[] = [];
  private readonly failures: GraphFailure[] = [];
  private readonly readFailures: GraphFailure[] = [];
  private local?: LocalServer;
  url = '';

  constructor(
    readonly phoneNumberId: string,
    readonly accessToken: string,
  ) {}

  async start(): Promise<this> {
    this.local = await startLocalServer((request, body, response) =>
      this.handle(request, body.toString('utf8'), response),
    );
    this.url = this.local.url;
    return this;
  }

  /** The next send requests fail like this, in order. */
  fail(...failures: GraphFailure[]): this {
    this.failures.push(...failures);
    return this;
  }

  /** The next read-receipt requests fail like this, in order (sends are not affected). */
  failReads(...failures: GraphFailure[]): this {
    this.readFailures.push(...failures);
    return this;
  }

  sentTo(to: string): GraphMessage[] {
    return this.messages.filter((m) => m.to === to);
  }

  /** The typing indicators requested for one customer message. */
  typingFor(messageId: string): GraphReadReceipt[] {
    return this.readReceipts.filter((r) => r.messageId === messageId && r.typing);
  }

  async close(): Promise<void> {
    await this.local?.close();
  }

  private handle(request: IncomingMessage, raw: string, response: ServerResponse): void {
    if (request.method !== 'POST' || !/^\/v\d+\.\d+\/\d+\/messages$/.test(request.url ?? '')) {
      return graphError(response, 404, 100, 'Unknown path components');
    }
    if (!request.url!.includes(`/${this.phoneNumberId}/`)) {
      return graphError(response, 400, 100, 'Unsupported post request: unknown phone number id');
    }
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) {
      return graphError(response, 401, 190, 'Invalid OAuth access token');
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return graphError(response, 400, 100, 'Invalid JSON');
    }
    if (body.status !== undefined) return this.readReceipt(body, response);
    const to = typeof body.to === 'string' ? body.to : '';
    const type = typeof body.type === 'string' ? body.type : 'text';
    this.attempts.push({ at: Date.now(), to, type });
    const failure = this.failures.shift();
    if (failure) return scriptedError(response, failure);
    const problem = invalid(body);
    if (problem) return graphError(response, 400, 131009, problem);
    const id = `wamid.${randomBytes(24).toString('base64url')}`;
    this.messages.push({ id, to, type: type as GraphMessage['type'], body });
    json(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id }],
    });
  }

  /** `{"status":"read","message_id":…}`, optionally with `"typing_indicator":{"type":"text"}`. */
  private readReceipt(body: Record<string, unknown>, response: ServerResponse): void {
    const messageId = typeof body.message_id === 'string' ? body.message_id : '';
    const typing = body.typing_indicator !== undefined;
    const receipt: GraphReadReceipt = { at: Date.now(), messageId, typing, status: 200 };
    this.readReceipts.push(receipt);
    const failure = this.readFailures.shift();
    if (failure) {
      receipt.status = failure.status;
      return scriptedError(response, failure);
    }
    const problem = invalidReadReceipt(body);
    if (problem) {
      receipt.status = 400;
      return graphError(response, 400, 100, problem);
    }
    json(response, 200, { success: true });
  }
}

/** Meta's checks of a read receipt: only `read` may be set, on a customer's wamid. */
function invalidReadReceipt(body: Record<string, unknown>): string | null {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (body.status !== 'read') return 'status must be read';
  if (typeof body.message_id !== 'string' || !body.message_id.startsWith('wamid.')) {
    return 'message_id is invalid';
  }
  if (body.to !== undefined || body.type !== undefined) return 'a read receipt has no to or type';
  const indicator = body.typing_indicator as { type?: unknown } | null | undefined;
  if (indicator !== undefined && indicator?.type !== 'text') return 'typing_indicator.type: text';
  return null;
}

function scriptedError(response: ServerResponse, failure: GraphFailure): void {
  const code = failure.code ?? (failure.status === 429 ? 130429 : 131000);
  const headers: Record<string, string> =
    failure.retryAfterSeconds === undefined
      ? {}
      : { 'retry-after': String(failure.retryAfterSeconds) };
  graphError(
    response,
    failure.status,
    code,
    failure.message ?? `fake Graph API: scripted ${failure.status}`,
    headers,
  );
}

/** Meta's checks of a send request, in Meta's words where it has them. */
function invalid(body: Record<string, unknown>): string | null {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (typeof body.to !== 'string' || !/^\+?\d{6,15}$/.test(body.to)) return 'to is invalid';
  switch (body.type) {
    case 'text': {
      const text = (body.text as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || !text || text.length > 4_096) return 'text.body is invalid';
      return null;
    }
    case 'template': {
      const template = body.template as { name?: unknown; language?: { code?: unknown } };
      if (typeof template?.name !== 'string' || typeof template.language?.code !== 'string') {
        return 'template name and language are required';
      }
      return null;
    }
    case 'interactive':
      return invalidInteractive(body.interactive as Interactive | undefined);
    default:
      return `unsupported message type ${String(body.type)}`;
  }
}

interface Interactive {
  type?: string;
  body?: { text?: string };
  action?: {
    button?: string;
    buttons?: { type?: string; reply?: { id?: string; title?: string } }[];
    sections?: { rows?: { id?: string; title?: string; description?: string }[] }[];
  };
}

function invalidInteractive(interactive: Interactive | undefined): string | null {
  const text = interactive?.body?.text;
  if (typeof text !== 'string' || !text || text.length > 1_024) return 'body.text is invalid';
  const length = (s: string | undefined) => [...(s ?? '')].length;
  if (interactive?.type === 'button') {
    const buttons = interactive.action?.buttons ?? [];
    if (buttons.length < 1 || buttons.length > 3) return 'buttons: between 1 and 3';
    for (const b of buttons) {
      if (b.type !== 'reply' || !b.reply?.id || length(b.reply.title) < 1) return 'button reply';
      if (length(b.reply.title) > 20) return 'Button title length invalid. Max length is 20';
    }
    return null;
  }
  if (interactive?.type === 'list') {
    const label = interactive.action?.button;
    if (!label || length(label) > 20) return 'list button label: 1 to 20 characters';
    const rows = (interactive.action?.sections ?? []).flatMap((s) => s.rows ?? []);
    if (rows.length < 1 || rows.length > 10) return 'Total row count exceed max allowed count: 10';
    for (const row of rows) {
      if (!row.id || length(row.title) < 1 || length(row.title) > 24) return 'row title: max 24';
      if (length(row.description) > 72) return 'row description: max 72';
    }
    return null;
  }
  return `unsupported interactive type ${String(interactive?.type)}`;
}

function graphError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  json(
    response,
    status,
    {
      error: {
        message,
        type: 'OAuthException',
        code,
        fbtrace_id: randomBytes(8).toString('hex'),
      },
    },
    headers,
  );
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
}

export function startFakeGraphApi(
  phoneNumberId: string,
  accessToken: string,
): Promise<FakeGraphApi> {
  return new FakeGraphApi(phoneNumberId, accessToken).start();
}

/** JSON as Meta serialises a webhook: every non-ASCII character escaped as \uXXXX (lowercase). */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Posts a webhook to Parley as Meta does: the body as Meta serialises it (or `raw` as given),
 * X-Hub-Signature-256 over those bytes with the app secret, unless `signature` replaces it.
 */
export async function postWhatsAppWebhook(
  target: string,
  appSecret: string,
  payload: unknown,
  options: { signature?: string | null; raw?: string } = {},
): Promise<{ status: number; text: string }> {
  const body = options.raw ?? metaJson(payload);
  const signature =
    options.signature === undefined
      ? `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`
      : options.signature;
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** A Cloud API "messages" webhook with the given messages and statuses for one business number. */
export function whatsappWebhook(
  phoneNumberId: string,
  value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] },
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A WhatsApp message id as Meta writes one. */
export const whatsappMessageId = () => `wamid.${randomBytes(24).toString('base64url')}`;

/** A customer's text message, as a webhook's `messages` entry. */
export function whatsappTextMessage(
  from: string,
  body: string,
  id = whatsappMessageId(),
  timestamp = String(Math.floor(Date.now() / 1000)),
) {
  return { from, id, timestamp, type: 'text', text: { body } };
}

/** The customer's tap on a reply button or a list row the business sent (its id and title). */
export function whatsappChoiceMessage(
  from: string,
  kind: 'button_reply' | 'list_reply',
  choice: { id: string; title: string },
) {
  return {
    from,
    id: whatsappMessageId(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'interactive',
    interactive: { type: kind, [kind]: choice },
  };
}

/** What a sent message shows the customer: a text's body, an interactive message's body text. */
export function graphMessageText(message: GraphMessage): string {
  return message.type === 'text'
    ? (message.body.text as { body: string }).body
    : (message.body.interactive as { body: { text: string } }).body.text;
}

/** One customer message delivered to Parley's webhook as Meta does: with its contact, signed. */
export function postWhatsAppMessage(
  target: string,
  appSecret: string,
  phoneNumberId: string,
  message: { from: string } & Record<string, unknown>,
  options: { signature?: string | null } = {},
): Promise<{ status: number; text: string }> {
  return postWhatsAppWebhook(
    target,
    appSecret,
    whatsappWebhook(phoneNumberId, {
      contacts: [{ profile: { name: 'Test' }, wa_id: message.from }],
      messages: [message],
    }),
    options,
  );
}
