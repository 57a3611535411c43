import { createHmac } from 'node:crypto';

import { VISITOR_ID_PREFIX, userHashFor } from '@parley/contracts';

import {
  isValidVisitorToken,
  isVisitorId,
  issueVisitor,
  visitorKey,
  visitorTokenFor,
} from './visitor-token';

const IDENTITY_SECRET = 'a-web-identity-secret-of-32-chars!';
const VISITOR_SECRET = 'a-separate-visitor-secret-of-32-chars';

describe(issueVisitor.name, () => {
  const key = visitorKey({ WEB_VISITOR_SECRET: VISITOR_SECRET })!;

  it('issues a fresh visitor id each time, with a token that proves it', () => {
    const a = issueVisitor(key);
    const b = issueVisitor(key);

    expect(a.userId).toMatch(/^visitor:[0-9a-f-]{36}$/);
    expect(a.userId).not.toBe(b.userId);
    expect(isVisitorId(a.userId)).toBe(true);
    expect(a.visitorToken).toBe(
      createHmac('sha256', VISITOR_SECRET).update(a.userId).digest('base64url'),
    );
    expect(isValidVisitorToken(key, a.userId, a.visitorToken)).toBe(true);
  });

  it("refuses another visitor's token, a token of another key and malformed tokens", () => {
    const a = issueVisitor(key);
    const b = issueVisitor(key);
    const otherKey = visitorKey({ WEB_VISITOR_SECRET: `${VISITOR_SECRET}-rotated` })!;

    expect(isValidVisitorToken(key, a.userId, b.visitorToken)).toBe(false);
    expect(isValidVisitorToken(key, a.userId, visitorTokenFor(otherKey, a.userId))).toBe(false);
    expect(isValidVisitorToken(key, a.userId, '')).toBe(false);
    expect(isValidVisitorToken(key, a.userId, a.visitorToken.slice(1))).toBe(false);
    expect(isValidVisitorToken(key, a.userId, `${a.visitorToken.slice(0, 42)}!`)).toBe(false);
    expect(isValidVisitorToken(key, a.userId, `${a.visitorToken}=`)).toBe(false);
  });
});

describe(visitorKey.name, () => {
  it('prefers WEB_VISITOR_SECRET and is off without either secret', () => {
    const both = visitorKey({
      WEB_VISITOR_SECRET: VISITOR_SECRET,
      WEB_IDENTITY_SECRET: IDENTITY_SECRET,
    });
    expect(both).toEqual(Buffer.from(VISITOR_SECRET));
    expect(visitorKey({})).toBeUndefined();
  });

  it('derives a key from WEB_IDENTITY_SECRET whose tokens are never a userHash', () => {
    const key = visitorKey({ WEB_IDENTITY_SECRET: IDENTITY_SECRET })!;
    const userId = `${VISITOR_ID_PREFIX}x`;

    expect(key).not.toEqual(Buffer.from(IDENTITY_SECRET));
    const asHex = Buffer.from(visitorTokenFor(key, userId), 'base64url').toString('hex');
    expect(asHex).not.toBe(userHashFor(IDENTITY_SECRET, userId));
  });

  it('only reserves the visitor: prefix, not user ids that merely look alike', () => {
    expect(isVisitorId('visitor-123')).toBe(false);
    expect(isVisitorId('Visitor:123')).toBe(false);
    expect(isVisitorId('customer-42')).toBe(false);
  });
});
