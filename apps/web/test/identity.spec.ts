import { createHmac, randomUUID } from 'node:crypto';

import type { ApiError, PostMessageAccepted, PostMessageResponse } from '@parley/contracts';
import {
  postMessage,
  query,
  startApp,
  startSuite,
  testEnv,
  uniquePrefix,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const SECRET = `identity-secret-${randomUUID()}`;
const customer = () => `customer-${randomUUID()}`;
/** What the business's backend computes for a signed-in customer. */
const userHash = (userId: string, secret = SECRET) =>
  createHmac('sha256', secret).update(userId).digest('hex');

async function identityOf(userId: string) {
  const [row] = await query<{ verified: boolean; verified_at: Date | null }>(
    `SELECT verified, verified_at FROM channel_identities WHERE channel = 'web' AND external_id = $1`,
    [userId],
  );
  return row ?? null;
}

async function messagesOf(userId: string): Promise<{ role: string; text: string }[]> {
  return query<{ role: string; text: string }>(
    `SELECT m.role, m.text FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     JOIN channel_identities i ON i.id = c.channel_identity_id
     WHERE i.channel = 'web' AND i.external_id = $1
     ORDER BY c.created_at, m.seq`,
    [userId],
  );
}

describe('verified customer identities (WEB_IDENTITY_SECRET set)', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite({ label: 'identity', env: { WEB_IDENTITY_SECRET: SECRET } });
  });

  afterAll(() => suite?.stop());

  it('answers a customer whose userHash is valid and stores their identity as verified', async () => {
    const userId = customer();
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      userHash: userHash(userId),
      text: 'Do you ship to Canada?',
    });

    expect(res.status).toBe(200);
    expect(res.body.replies.length).toBeGreaterThan(0);
    const identity = await identityOf(userId);
    expect(identity?.verified).toBe(true);
    expect(identity?.verified_at).toBeInstanceOf(Date);
  });

  it('refuses a userHash that does not match with 401 identity_invalid, storing nothing', async () => {
    const userId = customer();
    const someoneElses = await postMessage<ApiError>(suite.web.url, {
      userId,
      userHash: userHash(customer()),
      text: 'Where is my order?',
    });
    const otherSecret = await postMessage<ApiError>(suite.web.url, {
      userId,
      userHash: userHash(userId, `${SECRET}-rotated`),
      text: 'Where is my order?',
    });

    for (const res of [someoneElses, otherSecret]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('identity_invalid');
      expect(res.body.error.message).toMatch(/userHash/);
    }
    expect(await identityOf(userId)).toBeNull();
    expect(await messagesOf(userId)).toEqual([]);
  });

  it('refuses a userHash that is not 64 hex characters with 400 invalid_request', async () => {
    const userId = customer();
    const hash = userHash(userId);
    const res = await postMessage<ApiError>(suite.web.url, {
      userId,
      userHash: Buffer.from(hash, 'hex').toString('base64'),
      text: 'Hello',
    });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/userHash: must be 64 hexadecimal characters/);
    expect(await identityOf(userId)).toBeNull();
  });

  it('once a customer is verified, refuses their userId without userHash until it is sent again', async () => {
    const userId = customer();
    const first = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      userHash: userHash(userId),
      text: 'Hello',
    });
    expect(first.status).toBe(200);
    const stored = await messagesOf(userId);

    const impostor = await postMessage<ApiError>(suite.web.url, {
      userId,
      text: 'Change my delivery address please',
    });
    const impostorInConversation = await postMessage<ApiError>(suite.web.url, {
      userId,
      text: 'Change my delivery address please',
      conversationId: first.body.conversationId,
    });
    for (const res of [impostor, impostorInConversation]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('identity_required');
    }
    expect(await messagesOf(userId)).toEqual(stored);

    const again = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      userHash: userHash(userId),
      text: 'Do you ship to Canada?',
    });
    expect(again.status).toBe(200);
    expect(again.body.conversationId).toBe(first.body.conversationId);
    expect((await messagesOf(userId)).filter((m) => m.role === 'user')).toHaveLength(2);
  });

  it('lets an unverified visitor without userHash chat, and stores them unverified', async () => {
    const userId = `visitor-${randomUUID()}`;
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text: 'Do you ship to Canada?',
    });

    expect(res.status).toBe(200);
    expect(res.body.replies.length).toBeGreaterThan(0);
    expect((await identityOf(userId))?.verified).toBe(false);
  });

  it('verifies a visitor who signs in, in the same conversation, and then requires the hash', async () => {
    const userId = customer();
    const before = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text: 'Hello',
    });
    expect(before.status).toBe(200);
    expect((await identityOf(userId))?.verified).toBe(false);

    const signedIn = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      userHash: userHash(userId),
      text: 'How do I reset my password?',
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.conversationId).toBe(before.body.conversationId);
    expect((await identityOf(userId))?.verified).toBe(true);

    const withoutHash = await postMessage<ApiError>(suite.web.url, { userId, text: 'Hi again' });
    expect(withoutHash.status).toBe(401);
    expect(withoutHash.body.error.code).toBe('identity_required');
  });
});

describe('identity verification off (no WEB_IDENTITY_SECRET)', () => {
  let web: RunningApp;

  beforeAll(async () => {
    web = await startApp('web', {
      ...testEnv(),
      PARLEY_QUEUE_PREFIX: uniquePrefix('identity-off'),
    });
  });

  afterAll(() => web?.stop('SIGTERM'));

  it('refuses a userHash with 400 identity_verification_off, storing nothing', async () => {
    const userId = customer();
    const res = await postMessage<ApiError>(web.url, {
      userId,
      userHash: userHash(userId),
      text: 'Hello',
    });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('identity_verification_off');
    expect(res.body.error.message).toMatch(/WEB_IDENTITY_SECRET/);
    expect(await identityOf(userId)).toBeNull();
    expect(await messagesOf(userId)).toEqual([]);
  });

  it('still takes messages without userHash, from unverified visitors', async () => {
    const userId = `visitor-${randomUUID()}`;
    const res = await postMessage<PostMessageAccepted>(
      web.url,
      { userId, text: 'Hello' },
      { wait: false },
    );

    expect(res.status).toBe(202);
    expect((await identityOf(userId))?.verified).toBe(false);
  });

  it('refuses to start with a WEB_IDENTITY_SECRET shorter than 32 characters', async () => {
    const bad = await startApp(
      'web',
      { ...testEnv(), WEB_IDENTITY_SECRET: 'too-short' },
      { waitReady: false },
    );
    const { code } = await bad.exited;

    expect(code).not.toBe(0);
    expect(bad.output()).toMatch(/WEB_IDENTITY_SECRET: use at least 32 characters/);
    expect(bad.output()).not.toContain('too-short');
  });
});
