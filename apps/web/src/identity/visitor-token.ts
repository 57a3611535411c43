import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import { VISITOR_ID_PREFIX, VISITOR_TOKEN_PATTERN, type VisitorIdentity } from '@parley/contracts';

/** Labels the key derived from WEB_IDENTITY_SECRET. DO NOT CHANGE: every visitor token would break. */
const DERIVED_KEY_LABEL = 'parley web visitor token key v1';

/**
 * The key visitor tokens are made with: WEB_VISITOR_SECRET, or else one derived from
 * WEB_IDENTITY_SECRET. Deriving (not reusing) it means a visitor token is never the userHash of
 * any user id, so a visitor can never pass for a verified customer. Undefined: tokens are off.
 */
export function visitorKey(config: {
  WEB_VISITOR_SECRET?: string | undefined;
  WEB_IDENTITY_SECRET?: string | undefined;
}): Buffer | undefined {
  if (config.WEB_VISITOR_SECRET) return Buffer.from(config.WEB_VISITOR_SECRET, 'utf8');
  if (config.WEB_IDENTITY_SECRET) {
    return createHmac('sha256', config.WEB_IDENTITY_SECRET).update(DERIVED_KEY_LABEL).digest();
  }
  return undefined;
}

export const isVisitorId = (userId: string): boolean => userId.startsWith(VISITOR_ID_PREFIX);

/** base64url(HMAC-SHA256(key, userId)): proof that the server issued this visitor id. */
export function visitorTokenFor(key: Buffer, userId: string): string {
  return createHmac('sha256', key).update(userId, 'utf8').digest('base64url');
}

/** A fresh anonymous identity; nothing is stored until the visitor sends a message. */
export function issueVisitor(key: Buffer): VisitorIdentity {
  const userId = `${VISITOR_ID_PREFIX}${randomUUID()}`;
  return { userId, visitorToken: visitorTokenFor(key, userId) };
}

/** Whether `token` was made for `userId` with `key`, compared in constant time. */
export function isValidVisitorToken(key: Buffer, userId: string, token: string): boolean {
  // Checked first: base64url decoding skips characters it does not know instead of failing.
  if (!VISITOR_TOKEN_PATTERN.test(token)) return false;
  const expected = Buffer.from(visitorTokenFor(key, userId), 'base64url');
  return timingSafeEqual(Buffer.from(token, 'base64url'), expected);
}
