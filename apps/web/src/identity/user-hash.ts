import { timingSafeEqual } from 'node:crypto';

import { userHashFor } from '@parley/contracts';
import { ErrorCode, ParleyError } from '@parley/platform';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Whether `userHash` was made from `userId` with `secret`, compared in constant time. */
export function isValidUserHash(secret: string, userId: string, userHash: string): boolean {
  // Checked first: Buffer.from(hex) stops at the first non-hex character instead of failing.
  if (!HEX_SHA256.test(userHash)) return false;
  const expected = Buffer.from(userHashFor(secret, userId), 'hex');
  return timingSafeEqual(Buffer.from(userHash, 'hex'), expected);
}

/**
 * Whether the message comes from a verified customer (a valid `userHash`) or an unverified
 * visitor (none); throws when a hash is sent that cannot be, or is not, right.
 */
export function verifyUserHash(
  secret: string | undefined,
  userId: string,
  userHash: string | undefined,
): boolean {
  if (userHash === undefined) return false;
  if (!secret) {
    throw new ParleyError(
      ErrorCode.IdentityVerificationOff,
      'userHash was sent but identity verification is off: set WEB_IDENTITY_SECRET on the web service, or leave userHash out.',
    );
  }
  if (!isValidUserHash(secret, userId, userHash)) {
    throw new ParleyError(
      ErrorCode.IdentityInvalid,
      'userHash does not match userId: send hex(HMAC-SHA256(WEB_IDENTITY_SECRET, userId)).',
    );
  }
  return true;
}
