import { createHmac, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';

import { WebSocketServer, type WebSocket } from 'ws';

import { startLocalServer, type LocalServer } from './local-server';

/** A message Slack posted: what the channel (or DM) would show. */
export interface SlackPosted {
  ts: string;
  channel: string;
  text: string;
  thread_ts?: string;
  blocks?: SlackBlock[];
}

export interface SlackBlock {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[];
}

/** A workspace member as users.info returns them (the email needs `users:read.email`). */
export interface SlackUser {
  id: string;
  name: string;
  /** Unset: the profile has no email, as for a bot or without the scope. */
  email?: string;
}

/** A chat.update request: the message it rewrote, as sent. */
export interface SlackUpdate {
  channel: string;
  ts: string;
  text: string;
  blocks?: SlackBlock[];
}

/** What the next chat.postMessage gets instead of success. */
export type SlackFailure =
  /** HTTP 429 with Retry-After, as Slack rate-limits a channel. */
  | { status: 429; retryAfterSeconds: number }
  | { status: 500 | 502 | 503 }
  /** HTTP 200 with ok: false, as Slack refuses a message: channel_not_found, not_in_channel… */
  | { error: string };

/**
 * Slack's Web API as the official clients use it (`POST {base}/chat.postMessage`, form or JSON,
 * `Authorization: Bearer xoxb-…`; `apps.connections.open` with the App-Level Token returning a
 * Socket Mode WebSocket URL, served here too), so @slack/web-api and @slack/socket-mode run
 * unmodified against it.
 */
export class FakeSlack {
  readonly messages: SlackPosted[] = [];
  /** Every chat.postMessage request, failed or not, in order. */
  readonly attempts: { at: number; channel: string; text: string }[] = [];
  /** Envelope ids the Socket Mode client acknowledged. */
  readonly acks: string[] = [];
  /** Every successful chat.update, in order (the message in `messages` is rewritten too). */
  readonly updates: SlackUpdate[] = [];
  /** Members users.info knows, by id; see `addUser`. */
  readonly users = new Map<string, SlackUser>();
  private readonly failures: (SlackFailure | null)[] = [];
  private readonly sockets = new Set<WebSocket>();
  private local?: LocalServer;
  private wss?: WebSocketServer;
  private clock = 1_700_000_000;
  /** The Web API base URL, as `slackApiUrl` wants it (ends with a slash). */
  url = '';

  constructor(
    readonly botToken: string,
    readonly appToken?: string,
  ) {}

  async start(): Promise<this> {
    this.local = await startLocalServer(
      (request, body, response) => this.handle(request, body.toString('utf8'), response),
      (server) => this.acceptSocketMode(server),
    );
    this.url = `${this.local.url}/api/`;
    return this;
  }

  /** Socket Mode: the WebSocket URL apps.connections.open hands out. */
  private acceptSocketMode(server: http.Server): void {
    this.wss = new WebSocketServer({ server, path: '/socket' });
    this.wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { envelope_id?: string };
        if (message.envelope_id) this.acks.push(message.envelope_id);
      });
      socket.send(
        JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack' } }),
      );
    });
  }

  /** The next chat.postMessage requests fail like this, in order (null: that one succeeds). */
  fail(...failures: (SlackFailure | null)[]): this {
    this.failures.push(...failures);
    return this;
  }

  /** A member users.info answers for (any other id is `user_not_found`). */
  addUser(user: SlackUser): this {
    this.users.set(user.id, user);
    return this;
  }

  /** Socket Mode clients connected now. */
  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Pushes a payload down every Socket Mode connection as Slack does (`events_api` for an event
   * callback, `interactive` for a click); returns the envelope id the client should acknowledge.
   */
  push(type: 'events_api' | 'interactive', payload: unknown, retryAttempt = 0): string {
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: false,
      ...(type === 'events_api' ? { retry_attempt: retryAttempt, retry_reason: '' } : {}),
    };
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
    return envelopeId;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await this.local?.close();
  }

  private handle(request: IncomingMessage, raw: string, response: ServerResponse): void {
    const method = request.url?.replace(/^\/api\//, '').split('?')[0] ?? '';
    const token = request.headers.authorization?.replace(/^Bearer /, '');
    const params = readParams(request.headers['content-type'], raw);
    switch (method) {
      case 'auth.test':
        if (token !== this.botToken)
          return json(response, 200, { ok: false, error: 'invalid_auth' });
        return json(response, 200, { ok: true, user_id: 'UPARLEYBOT', bot_id: 'BPARLEY' });
      case 'apps.connections.open': {
        if (!this.appToken || token !== this.appToken) {
          return json(response, 200, { ok: false, error: 'invalid_auth' });
        }
        const socketUrl = `${this.local!.url.replace(/^http/, 'ws')}/socket`;
        return json(response, 200, { ok: true, url: socketUrl });
      }
      case 'chat.postMessage':
        if (token !== this.botToken)
          return json(response, 200, { ok: false, error: 'invalid_auth' });
        return this.postMessage(params, response);
      case 'chat.update':
        if (token !== this.botToken)
          return json(response, 200, { ok: false, error: 'invalid_auth' });
        return this.update(params, response);
      case 'users.info': {
        if (token !== this.botToken)
          return json(response, 200, { ok: false, error: 'invalid_auth' });
        const user = this.users.get(params.user ?? '');
        if (!user) return json(response, 200, { ok: false, error: 'user_not_found' });
        return json(response, 200, {
          ok: true,
          user: {
            id: user.id,
            name: user.name,
            real_name: user.name,
            is_bot: false,
            profile: {
              real_name: user.name,
              display_name: user.name,
              ...(user.email ? { email: user.email } : {}),
            },
          },
        });
      }
      default:
        return json(response, 200, { ok: false, error: 'unknown_method' });
    }
  }

  /** chat.update: only a message this fake posted, in its channel, as Slack allows a bot. */
  private update(params: Record<string, string>, response: ServerResponse): void {
    const channel = params.channel ?? '';
    const ts = params.ts ?? '';
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) return json(response, 200, { ok: false, error: 'message_not_found' });
    const text = params.text ?? '';
    const blocks = params.blocks ? (JSON.parse(params.blocks) as SlackBlock[]) : undefined;
    if (!text && !blocks) return json(response, 200, { ok: false, error: 'no_text' });
    message.text = text;
    // As Slack documents: without `blocks`, the message keeps the ones it had.
    if (blocks) message.blocks = blocks;
    this.updates.push({ channel, ts, text, ...(blocks ? { blocks } : {}) });
    json(response, 200, { ok: true, channel, ts, text, message: { ...message } });
  }

  private postMessage(params: Record<string, string>, response: ServerResponse): void {
    const channel = params.channel ?? '';
    const text = params.text ?? '';
    this.attempts.push({ at: Date.now(), channel, text });
    const failure = this.failures.shift();
    if (failure && 'status' in failure) {
      if (failure.status === 429) {
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(failure.retryAfterSeconds),
        });
        response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      response.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html>oops</html>');
      return;
    }
    if (failure) return json(response, 200, { ok: false, error: failure.error });
    if (!channel) return json(response, 200, { ok: false, error: 'channel_not_found' });
    const blocks = params.blocks ? (JSON.parse(params.blocks) as SlackBlock[]) : undefined;
    if (!text && !blocks) return json(response, 200, { ok: false, error: 'no_text' });
    this.clock += 1;
    const message: SlackPosted = {
      ts: `${this.clock}.${String(this.messages.length).padStart(6, '0')}`,
      channel,
      text,
      ...(params.thread_ts ? { thread_ts: params.thread_ts } : {}),
      ...(blocks ? { blocks } : {}),
    };
    this.messages.push(message);
    json(response, 200, {
      ok: true,
      channel,
      ts: message.ts,
      message: { type: 'message', user: 'UPARLEYBOT', bot_id: 'BPARLEY', ...message },
    });
  }
}

/** chat.postMessage arguments: form-encoded (objects as JSON strings) or a JSON body. */
function readParams(contentType: string | undefined, raw: string): Record<string, string> {
  if (contentType?.startsWith('application/json')) {
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function startFakeSlack(botToken: string, appToken?: string): Promise<FakeSlack> {
  return new FakeSlack(botToken, appToken).start();
}

/** Slack's X-Slack-Signature: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Posts to a Parley Slack endpoint as Slack does: the body signed with the signing secret at
 * `timestamp` (now unless given), or with the `signature` given (null: no signature header).
 */
export async function postSlackWebhook(
  target: string,
  signingSecret: string,
  body: string,
  options: {
    contentType?: string;
    timestamp?: number;
    signature?: string | null;
    retryNum?: number;
  } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature === undefined
      ? slackSignature(signingSecret, timestamp, body)
      : options.signature;
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
      ...(options.retryNum
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
    body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
