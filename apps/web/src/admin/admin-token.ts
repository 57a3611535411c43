import { createHash, timingSafeEqual } from 'node:crypto';

import { ErrorCode, ParleyError } from '@parley/platform';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Checks `Authorization: Bearer <PARLEY_ADMIN_TOKEN>` in constant time; throws 401 / 403. */
export function requireAdmin(configured: string | undefined, authorization: string | undefined) {
  if (!configured) {
    throw new ParleyError(
      ErrorCode.AdminApiDisabled,
      'The admin API is off. Set PARLEY_ADMIN_TOKEN on the web service to enable it.',
    );
  }
  const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  if (!timingSafeEqual(digest(presented), digest(configured))) {
    throw new ParleyError(ErrorCode.Unauthorized, 'Send Authorization: Bearer <admin token>.');
  }
}
