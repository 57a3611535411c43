import { hmacHex, safeEqual } from '@parley/channels';

/**
 * Whether `header` is Meta's X-Hub-Signature-256 for `rawBody`: `sha256=` and the hex
 * HMAC-SHA256 of the bytes exactly as received. Meta signs its body with non-ASCII characters
 * escaped as \uXXXX, so a body parsed and serialised again would not match; only the raw bytes do.
 */
export function hubSignatureValid(
  appSecret: string,
  header: string | undefined,
  rawBody: Buffer,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  return safeEqual(
    header.slice('sha256='.length).toLowerCase(),
    hmacHex('sha256', appSecret, rawBody),
  );
}

/** The header Meta would send for `rawBody` (tests and the fake sign with it). */
export function hubSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${hmacHex('sha256', appSecret, rawBody)}`;
}
