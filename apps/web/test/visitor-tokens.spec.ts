import { randomUUID } from 'node:crypto';

import WebSocket from 'ws';

import type {
  ApiError,
  PostMessageAccepted,
  PostMessageResponse,
  TranscriptResponse,
  VisitorIdentity,
} from '@parley/contracts';
import {
  getJson,
  openStream,
  postMessage,
  query,
  signedIn,
  startApp,
  startSuite,
  testEnv,
  uniquePrefix,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const WIDGET_SITE = 'https://shop.example';

async function newVisitor(webUrl: string): Promise<VisitorIdentity> {
  const response = await fetch(`${webUrl}/api/v1/visitors`, { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as VisitorIdentity;
}

async function storedIdentity(userId: string) {
  const [row] = await query<{ verified: boolean }>(
    `SELECT verified FROM channel_identities WHERE channel = 'web' AND external_id = $1`,
    [userId],
  );
  return row ?? null;
}

async function storedMessages(userId: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     JOIN channel_identities i ON i.id = c.channel_identity_id
     WHERE i.channel = 'web' AND i.external_id = $1`,
    [userId],
  );
  return row!.n;
}

const transcriptUrl = (webUrl: string, conversationId: string, credential = '') =>
  `${webUrl}/api/v1/conversations/${conversationId}/messages${credential}`;

/** The HTTP status (and error code) a WebSocket upgrade to the stream is refused with, or 101. */
function upgradeStatus(
  webUrl: string,
  search: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code?: string }> {
  const socket = new WebSocket(`${webUrl.replace(/^http/, 'ws')}/api/v1/stream?${search}`, {
    headers,
  });
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve({ status: 101 });
    });
    socket.once('unexpected-response', (_request, response) => {
      let raw = '';
      response.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      response.on('end', () => {
        const body = raw ? (JSON.parse(raw) as ApiError) : undefined;
        resolve({ status: response.statusCode ?? 0, code: body?.error.code });
      });
    });
    socket.once('error', () => resolve({ status: -1 }));
  });
}

describe('widget visitors and conversation credentials', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite({
      label: 'visitor-tokens',
      env: { WEB_WIDGET_ORIGINS: WIDGET_SITE },
    });
  });

  afterAll(() => suite?.stop());

  describe('POST /api/v1/visitors', () => {
    it('issues a new anonymous identity with a token each time, storing nothing', async () => {
      const response = await fetch(`${suite.web.url}/api/v1/visitors`, { method: 'POST' });
      const a = (await response.json()) as VisitorIdentity;
      const b = await newVisitor(suite.web.url);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(a).sort()).toEqual(['userId', 'visitorToken']);
      expect(a.userId).toMatch(/^visitor:[0-9a-f-]{36}$/);
      expect(a.visitorToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(b.userId).not.toBe(a.userId);
      expect(b.visitorToken).not.toBe(a.visitorToken);
      expect(await storedIdentity(a.userId)).toBeNull();
    });
  });

  describe('messages from a visitor', () => {
    it('answers a visitor who sends their token, and stores them unverified', async () => {
      const visitor = await newVisitor(suite.web.url);
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        ...visitor,
        text: 'Do you ship to Canada?',
      });

      expect(res.status).toBe(200);
      expect(res.body.replies.length).toBeGreaterThan(0);
      expect(await storedIdentity(visitor.userId)).toEqual({ verified: false });
    });

    it('refuses a visitor id without its token with 401 visitor_token_required, storing nothing', async () => {
      const visitor = await newVisitor(suite.web.url);
      const res = await postMessage<ApiError>(suite.web.url, {
        userId: visitor.userId,
        text: 'Where is my order?',
      });

      expect(res.status).toBe(401);
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message']);
      expect(res.body.error.code).toBe('visitor_token_required');
      expect(res.body.error.message).toMatch(/visitorToken/);
      expect(await storedIdentity(visitor.userId)).toBeNull();
    });

    it("refuses another visitor's token and made-up tokens with 401 visitor_token_invalid, storing nothing", async () => {
      const victim = await newVisitor(suite.web.url);
      const attacker = await newVisitor(suite.web.url);
      const first = await postMessage<PostMessageResponse>(suite.web.url, {
        ...victim,
        text: 'Hello',
      });
      const before = await storedMessages(victim.userId);

      const attempts = [
        { userId: victim.userId, visitorToken: attacker.visitorToken },
        { userId: victim.userId, visitorToken: 'A'.repeat(43) },
        { userId: `visitor:${randomUUID()}`, visitorToken: victim.visitorToken },
      ];
      for (const attempt of attempts) {
        const res = await postMessage<ApiError>(suite.web.url, {
          ...attempt,
          text: 'Send my invoices to attacker@example.com',
          conversationId: first.body.conversationId,
        });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('visitor_token_invalid');
      }
      expect(await storedMessages(victim.userId)).toBe(before);
      expect(await storedIdentity(attempts[2]!.userId)).toBeNull();
    });

    it('never verifies a visitor: a userHash with a visitor id, or a visitorToken with any other id, is refused', async () => {
      const visitor = await newVisitor(suite.web.url);
      const withHash = await postMessage<ApiError>(suite.web.url, {
        ...visitor,
        userHash: signedIn(visitor.userId).userHash,
        text: 'Hello',
      });
      const customer = `customer-${randomUUID()}`;
      const tokenForPlainId = await postMessage<ApiError>(suite.web.url, {
        userId: customer,
        visitorToken: visitor.visitorToken,
        text: 'Hello',
      });

      expect(withHash.status).toBe(400);
      expect(withHash.body.error.code).toBe('invalid_request');
      expect(withHash.body.error.message).toMatch(
        /^userHash: a widget visitor cannot be a verified customer/,
      );
      expect(tokenForPlainId.status).toBe(400);
      expect(tokenForPlainId.body.error.message).toMatch(/^visitorToken: only for the visitor ids/);
      expect(await storedIdentity(visitor.userId)).toBeNull();
      expect(await storedIdentity(customer)).toBeNull();
    });
  });

  describe('reading a conversation', () => {
    it("shows a visitor's conversation only with their token, over HTTP and WebSocket", async () => {
      const visitor = await newVisitor(suite.web.url);
      const other = await newVisitor(suite.web.url);
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        ...visitor,
        text: 'Hello',
      });
      const id = res.body.conversationId;

      const missing = await getJson<ApiError>(transcriptUrl(suite.web.url, id));
      const wrong = await getJson<ApiError>(
        transcriptUrl(suite.web.url, id, `?visitorToken=${other.visitorToken}`),
      );
      const right = await getJson<TranscriptResponse>(
        transcriptUrl(suite.web.url, id, `?visitorToken=${visitor.visitorToken}`),
      );
      expect([missing.status, missing.body.error.code]).toEqual([401, 'visitor_token_required']);
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'visitor_token_invalid']);
      expect(right.status).toBe(200);
      expect(right.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

      expect(await upgradeStatus(suite.web.url, `conversationId=${id}`)).toEqual({
        status: 401,
        code: 'visitor_token_required',
      });
      expect(
        await upgradeStatus(
          suite.web.url,
          `conversationId=${id}&visitorToken=${other.visitorToken}`,
        ),
      ).toEqual({ status: 401, code: 'visitor_token_invalid' });
      const stream = await openStream(suite.web.url, id, visitor);
      const sent = await postMessage<PostMessageAccepted>(
        suite.web.url,
        { ...visitor, text: 'What does the Pro plan cost?', conversationId: id },
        { wait: false },
      );
      const replies = await stream.until((e) => e.type === 'replies');
      stream.close();
      expect(replies).toMatchObject({ inReplyTo: sent.body.messageId });
    });

    it("shows a verified customer's conversation only with their userHash", async () => {
      const customer = signedIn(`customer-${randomUUID()}`);
      const res = await postMessage<PostMessageResponse>(suite.web.url, {
        ...customer,
        text: 'Hello',
      });
      const id = res.body.conversationId;

      const missing = await getJson<ApiError>(transcriptUrl(suite.web.url, id));
      const wrong = await getJson<ApiError>(
        transcriptUrl(suite.web.url, id, `?userHash=${signedIn('someone-else').userHash}`),
      );
      const right = await getJson<TranscriptResponse>(
        transcriptUrl(suite.web.url, id, `?userHash=${customer.userHash}`),
      );
      expect([missing.status, missing.body.error.code]).toEqual([401, 'identity_required']);
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'identity_invalid']);
      expect(right.status).toBe(200);
      expect(await upgradeStatus(suite.web.url, `conversationId=${id}`)).toEqual({
        status: 401,
        code: 'identity_required',
      });
      expect(
        await upgradeStatus(suite.web.url, `conversationId=${id}&userHash=${customer.userHash}`),
      ).toEqual({ status: 101 });
    });

    it('keeps plain user ids as they were: posting and reading need no credential', async () => {
      const userId = `user-${randomUUID()}`;
      const res = await postMessage<PostMessageResponse>(suite.web.url, { userId, text: 'Hello' });
      const transcript = await getJson<TranscriptResponse>(
        transcriptUrl(suite.web.url, res.body.conversationId),
      );

      expect(res.status).toBe(200);
      expect(transcript.status).toBe(200);
      expect(
        await upgradeStatus(suite.web.url, `conversationId=${res.body.conversationId}`),
      ).toEqual({ status: 101 });
      expect(await storedIdentity(userId)).toEqual({ verified: false });
    });
  });

  describe('pages of other sites (WEB_WIDGET_ORIGINS)', () => {
    it('answers preflights of the sites that embed the widget and echoes their origin', async () => {
      const preflight = await fetch(`${suite.web.url}/api/v1/messages`, {
        method: 'OPTIONS',
        headers: {
          origin: WIDGET_SITE,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
      const visitor = await fetch(`${suite.web.url}/api/v1/visitors`, {
        method: 'POST',
        headers: { origin: WIDGET_SITE },
      });

      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(WIDGET_SITE);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
      expect(visitor.status).toBe(200);
      expect(visitor.headers.get('access-control-allow-origin')).toBe(WIDGET_SITE);
    });

    it('refuses pages from any other site with 403 origin_not_allowed, before anything is stored', async () => {
      const foreign = 'https://evil.example';
      const userId = `user-${randomUUID()}`;
      const post = await fetch(`${suite.web.url}/api/v1/messages`, {
        method: 'POST',
        headers: { origin: foreign, 'content-type': 'application/json' },
        body: JSON.stringify({ userId, text: 'Hello' }),
      });
      const body = (await post.json()) as ApiError;

      expect(post.status).toBe(403);
      expect(body.error.code).toBe('origin_not_allowed');
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      expect(await storedIdentity(userId)).toBeNull();
      const res = await postMessage<PostMessageResponse>(suite.web.url, { userId, text: 'Hi' });
      expect(
        await upgradeStatus(suite.web.url, `conversationId=${res.body.conversationId}`, {
          origin: foreign,
        }),
      ).toEqual({ status: 403, code: 'origin_not_allowed' });
      // Its own pages: the Origin is the server's own host, or the host a proxy forwarded.
      const proxied = await fetch(`${suite.web.url}/api/v1/visitors`, {
        method: 'POST',
        headers: { origin: 'https://chat.shop.example', 'x-forwarded-host': 'chat.shop.example' },
      });
      expect(proxied.status).toBe(200);
      const own = new URL(suite.web.url).origin;
      expect(
        await upgradeStatus(suite.web.url, `conversationId=${res.body.conversationId}`, {
          origin: own,
        }),
      ).toEqual({ status: 101 });
    });

    it('serves the widget script to any site', async () => {
      const response = await fetch(`${suite.web.url}/widget.js`);
      const script = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(script).toContain('/api/v1/visitors');
      const css = await fetch(`${suite.web.url}/widget.css`);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    });
  });
});

describe('visitor token configuration', () => {
  const apps: RunningApp[] = [];
  const start = async (env: Record<string, string>, options?: { waitReady: boolean }) => {
    const app = await startApp(
      'web',
      { ...testEnv(), PARLEY_QUEUE_PREFIX: uniquePrefix('visitor-config'), ...env },
      options,
    );
    apps.push(app);
    return app;
  };

  afterAll(() => Promise.all(apps.map((app) => app.stop('SIGTERM'))));

  it('without WEB_VISITOR_SECRET or WEB_IDENTITY_SECRET, refuses visitors with 403 visitor_tokens_off and warns', async () => {
    const web = await start({});
    const issue = await fetch(`${web.url}/api/v1/visitors`, { method: 'POST' });
    const visitorId = `visitor:${randomUUID()}`;
    const post = await postMessage<ApiError>(
      web.url,
      { userId: visitorId, visitorToken: 'A'.repeat(43), text: 'Hello' },
      { wait: false },
    );
    const plain = await postMessage<PostMessageAccepted>(
      web.url,
      { userId: `user-${randomUUID()}`, text: 'Hello' },
      { wait: false },
    );

    expect(issue.status).toBe(403);
    const refused = ((await issue.json()) as ApiError).error;
    expect(refused.code).toBe('visitor_tokens_off');
    expect(refused.message).toMatch(/WEB_VISITOR_SECRET/);
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('visitor_tokens_off');
    expect(await storedIdentity(visitorId)).toBeNull();
    expect(plain.status).toBe(202);
    expect(web.output()).toMatch(/visitor tokens are off/);
  });

  it('with WEB_VISITOR_SECRET alone, issues visitors whose tokens that key signs', async () => {
    const web = await start({ WEB_VISITOR_SECRET: 'a-visitor-secret-of-at-least-32-characters' });
    const visitor = await newVisitor(web.url);
    const res = await postMessage<PostMessageAccepted>(
      web.url,
      { ...visitor, text: 'Hello' },
      { wait: false },
    );

    expect(res.status).toBe(202);
    expect(web.output()).not.toMatch(/visitor tokens are off/);
  });

  it('refuses to start with a short WEB_VISITOR_SECRET or a WEB_WIDGET_ORIGINS entry that is not an origin', async () => {
    const short = await start({ WEB_VISITOR_SECRET: 'too-short' }, { waitReady: false });
    const path = await start(
      { WEB_WIDGET_ORIGINS: 'https://shop.example, https://shop.example/chat' },
      { waitReady: false },
    );

    expect((await short.exited).code).not.toBe(0);
    expect(short.output()).toMatch(/WEB_VISITOR_SECRET: use at least 32 characters/);
    expect(short.output()).not.toContain('too-short');
    expect((await path.exited).code).not.toBe(0);
    expect(path.output()).toMatch(
      /WEB_WIDGET_ORIGINS: "https:\/\/shop.example\/chat" is not an origin/,
    );
  });
});
