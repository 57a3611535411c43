import { createHmac, timingSafeEqual } from 'node:crypto';

import { startLocalServer } from './fakes/local-server';

/** One request a help desk received from Parley's hand-over webhooks. */
export interface ReceivedWebhook {
  /** X-Parley-Delivery: the same on every retry of one delivery. */
  delivery: string;
  body: Record<string, unknown>;
  /** The signature checked as a receiver would, with its own copy of the shared secret. */
  verified: boolean;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * A help desk's webhook endpoint: checks X-Parley-Signature (`sha256=` hex HMAC-SHA256 of
 * `timestamp.body` with the shared secret, the timestamp within 5 minutes) with its own code, not
 * Parley's, and answers each request with the status `status()` gives (200 unless told).
 */
export async function startWebhookReceiver(
  secret: string,
  status: () => number = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const local = await startLocalServer((request, body, response) => {
    const raw = body.toString('utf8');
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : '';
    };
    received.push({
      delivery: header('x-parley-delivery'),
      body: JSON.parse(raw) as Record<string, unknown>,
      verified: signedWith(secret, header('x-parley-timestamp'), header('x-parley-signature'), raw),
    });
    response.writeHead(status()).end();
  });
  return { url: `${local.url}/hooks/parley`, received, close: () => local.close() };
}

function signedWith(secret: string, timestamp: string, signature: string, body: string): boolean {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > 300) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
