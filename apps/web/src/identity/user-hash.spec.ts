import { createHmac } from 'node:crypto';

import { ErrorCode, ParleyError } from '@parley/platform';

import { userHashFor } from '@parley/contracts';

import { isValidUserHash, verifyUserHash } from './user-hash';

const SECRET = 'a-web-identity-secret-of-32-chars!';

function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParleyError) return error.code;
    throw error;
  }
  throw new Error('expected a ParleyError');
}

describe(isValidUserHash.name, () => {
  const hash = userHashFor(SECRET, 'customer-42');

  it('computes the hex HMAC-SHA256 of the user id, as a business backend would', () => {
    const expected = createHmac('sha256', SECRET).update('customer-42').digest('hex');
    expect(hash).toBe(expected);
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(userHashFor('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('accepts the hash of the same user id, in either hex case', () => {
    expect(isValidUserHash(SECRET, 'customer-42', hash)).toBe(true);
    expect(isValidUserHash(SECRET, 'customer-42', hash.toUpperCase())).toBe(true);
  });

  it("rejects another user's hash and a hash made with another secret", () => {
    expect(isValidUserHash(SECRET, 'customer-43', hash)).toBe(false);
    expect(isValidUserHash(SECRET, 'customer-42', userHashFor(`${SECRET}x`, 'customer-42'))).toBe(
      false,
    );
  });

  it('rejects hashes of the wrong length or with non-hex characters, without throwing', () => {
    expect(isValidUserHash(SECRET, 'customer-42', '')).toBe(false);
    expect(isValidUserHash(SECRET, 'customer-42', hash.slice(0, 62))).toBe(false);
    expect(isValidUserHash(SECRET, 'customer-42', `${hash}00`)).toBe(false);
    // Node's hex decoder would stop at "zz" and keep the valid prefix: must not pass.
    expect(isValidUserHash(SECRET, 'customer-42', `${hash.slice(0, 62)}zz`)).toBe(false);
    expect(
      isValidUserHash(SECRET, 'customer-42', Buffer.from(hash, 'hex').toString('base64')),
    ).toBe(false);
  });
});

describe(verifyUserHash.name, () => {
  it('treats a message without userHash as an unverified visitor, secret or not', () => {
    expect(verifyUserHash(SECRET, 'visitor-1', undefined)).toBe(false);
    expect(verifyUserHash(undefined, 'visitor-1', undefined)).toBe(false);
  });

  it('treats a message with a valid userHash as a verified customer', () => {
    expect(verifyUserHash(SECRET, 'customer-42', userHashFor(SECRET, 'customer-42'))).toBe(true);
  });

  it('refuses a userHash that does not match with identity_invalid', () => {
    const code = codeOf(() =>
      verifyUserHash(SECRET, 'customer-42', userHashFor(SECRET, 'customer-43')),
    );
    expect(code).toBe(ErrorCode.IdentityInvalid);
  });

  it('refuses a userHash when no secret is configured with identity_verification_off', () => {
    const code = codeOf(() =>
      verifyUserHash(undefined, 'customer-42', userHashFor(SECRET, 'customer-42')),
    );
    expect(code).toBe(ErrorCode.IdentityVerificationOff);
  });
});
