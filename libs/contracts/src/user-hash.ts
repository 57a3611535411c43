import { createHmac } from 'node:crypto';

/**
 * hex(HMAC-SHA256(secret, userId)): what a business's backend sends as `userHash` for a
 * logged-in customer, and what the web channel checks it against.
 */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}
