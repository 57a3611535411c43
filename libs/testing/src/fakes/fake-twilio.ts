import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import twilio from 'twilio';

import { startLocalServer, type LocalServer } from './local-server';

/** A message Twilio accepted: what the customer's phone would receive. */
export interface TwilioMessage {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
}

/** What the next create-message request gets instead of success. */
export type TwilioFailure =
  | { status: 429 | 500 | 503; message?: string }
  /** Twilio 21610: the recipient texted STOP. */
  | { status: 400; code: number; message?: string };

/**
 * Twilio's REST API for messages (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
 * form-encoded, Basic auth), answering as Twilio does, so the official SDK runs unmodified.
 */
export class FakeTwilio {
  readonly messages: TwilioMessage[] = [];
  /** Every create request, failed or not, in order. */
  readonly attempts: { at: number; to: string; body: string }[] = [];
  private readonly failures: TwilioFailure[] = [];
  private local?: LocalServer;
  url = '';

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  async start(): Promise<this> {
    this.local = await startLocalServer((request, body, response) =>
      this.handle(request, body.toString('utf8'), response),
    );
    this.url = this.local.url;
    return this;
  }

  /** The next create requests fail like this, in order. */
  fail(...failures: TwilioFailure[]): this {
    this.failures.push(...failures);
    return this;
  }

  async close(): Promise<void> {
    await this.local?.close();
  }

  private handle(request: IncomingMessage, raw: string, response: ServerResponse): void {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    if (request.method !== 'POST' || request.url !== path) {
      return json(response, 404, {
        code: 20404,
        message: 'The requested resource was not found',
        status: 404,
      });
    }
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return json(response, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    this.attempts.push({ at: Date.now(), to: form.To ?? '', body: form.Body ?? '' });
    const failure = this.failures.shift();
    if (failure) {
      const code = 'code' in failure ? failure.code : failure.status === 429 ? 20429 : 20500;
      return json(response, failure.status, {
        code,
        message: failure.message ?? `fake Twilio: scripted ${failure.status}`,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status: failure.status,
      });
    }
    if (!form.To || !form.Body || (!form.From && !form.MessagingServiceSid)) {
      return json(response, 400, {
        code: 21604,
        message: 'A To, Body and From are required',
        status: 400,
      });
    }
    const message: TwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to: form.To,
      body: form.Body,
      ...(form.From ? { from: form.From } : {}),
      ...(form.MessagingServiceSid ? { messagingServiceSid: form.MessagingServiceSid } : {}),
      ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
    };
    this.messages.push(message);
    json(response, 201, {
      sid: message.sid,
      account_sid: this.accountSid,
      to: message.to,
      from: message.from ?? null,
      messaging_service_sid: message.messagingServiceSid ?? null,
      body: message.body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: new Date().toUTCString(),
      uri: `${path.replace('.json', '')}/${message.sid}.json`,
    });
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function startFakeTwilio(accountSid: string, authToken: string): Promise<FakeTwilio> {
  return new FakeTwilio(accountSid, authToken).start();
}

/**
 * Posts a form to a Parley webhook signed as Twilio signs it: X-Twilio-Signature over `signedUrl`
 * (the public URL Twilio was given) and the parameters, with the official SDK's own function.
 */
export async function postTwilioWebhook(
  target: string,
  signedUrl: string,
  authToken: string,
  params: Record<string, string>,
  options: { signature?: string | null } = {},
): Promise<{ status: number; text: string }> {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(authToken, signedUrl, params)
      : options.signature;
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}
