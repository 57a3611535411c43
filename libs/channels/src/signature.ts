import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two secrets' encodings in constant time (false for different lengths). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function hmacHex(algorithm: 'sha256' | 'sha1', key: string, data: string | Buffer): string {
  return createHmac(algorithm, key).update(data).digest('hex');
}
