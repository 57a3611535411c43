import { userHashFor } from '@parley/contracts';

/** The web identity secret of every suite that `startSuite` starts (unless a test overrides it). */
export const TEST_IDENTITY_SECRET = 'test-identity-secret-of-32-characters-or-more';

/**
 * The fields a business's backend adds for a logged-in customer: `{ userId, userHash }` with
 * userHash = hex(HMAC-SHA256(secret, userId)). Spread into a message body to send as that customer.
 */
export function signedIn(userId: string, secret = TEST_IDENTITY_SECRET) {
  return { userId, userHash: userHashFor(secret, userId) };
}
