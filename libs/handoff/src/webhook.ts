import { createHmac, timingSafeEqual } from 'node:crypto';

export const DELIVERY_HEADER = 'X-Parley-Delivery';
export const TIMESTAMP_HEADER = 'X-Parley-Timestamp';
export const SIGNATURE_HEADER = 'X-Parley-Signature';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`: what X-Parley-Signature holds. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A receiver's check: right signature, and a timestamp within `toleranceSeconds` of now. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || !headers.signature) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** How a webhook attempt ended, for the delivery's record and the job's retry. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';

  constructor(
    message: string,
    /** False for answers that will not change on a retry (4xx other than 408 and 429). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** POSTs one signed delivery; throws WebhookError unless the receiver answers 2xx. */
export async function postWebhook(options: {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  timeoutMs: number;
}): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Parley-Webhooks/1',
        [DELIVERY_HEADER]: options.deliveryId,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: webhookSignature(options.secret, timestamp, options.body),
      },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    throw new WebhookError(`request failed: ${cause ? `${cause} ` : ''}${message}`, true);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new WebhookError(`receiver answered HTTP ${response.status}`, retryable);
}
