import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Locator, Page, WebSocketRoute } from 'playwright-core';

import type { PostMessageAccepted } from '@parley/contracts';
import {
  ARTIFACTS_DIR,
  DEMO_KNOWLEDGE_DIR,
  launchBrowser,
  postMessage,
  query,
  seedKnowledge,
  startFakeOpenAI,
  startSuite,
  type FakeLlmServer,
  type Suite,
} from '@parley/testing';

const ASSISTANT = 'widget-e2e';
/** From the demo help centre's membership passage: grounded, so the model's draft is not stopped. */
const STREAMED =
  'Plus members pay $49 a year for free express shipping and early access to new collections; Pro adds free repairs.';

/** A local server that serves a page, or records every request it gets (it must get none). */
async function startServer(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => void,
) {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The demo help centre plus an article whose HTML and Markdown image point at the recorder. */
function knowledgeWithHostileArticle(hostile: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-widget-kb-'));
  cpSync(DEMO_KNOWLEDGE_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, 'gift-wrapping.md'), `# Gift wrapping\n\n${hostile}\n`);
  return dir;
}

// -- the widget, seen through its shadow root (Playwright's CSS locators pierce open ones) --
const launcher = (page: Page) => page.locator('[data-parley-widget] .launcher');
const panel = (page: Page) => page.getByRole('dialog', { name: 'Parley demo assistant' });
const input = (page: Page) => page.getByRole('textbox', { name: 'Your message' });
const quickReplies = (page: Page) =>
  page.getByRole('group', { name: 'Suggested replies' }).getByRole('button');
const shown = (page: Page, role: 'user' | 'assistant') =>
  page.locator(`[data-parley-widget] .log .msg.${role}:not(.draft):not(.welcome) .text`);
const badge = (page: Page) => page.locator('[data-parley-widget] .badge');

async function say(page: Page, text: string): Promise<void> {
  await input(page).fill(text);
  await input(page).press('Enter');
}

async function texts(locator: Locator): Promise<string[]> {
  return locator.allTextContents();
}

/** The widget's stored identity and conversation, as a page of this origin keeps it. */
async function widgetState(page: Page, server: string) {
  const key = JSON.stringify(`parley.widget:${server}`);
  return page.evaluate<Record<string, string> | null>(
    `JSON.parse(localStorage.getItem(${key}) || 'null')`,
  );
}

/** Runs `expression` with `root` bound to the widget's shadow root (the tests run without DOM types). */
const inWidget = <T>(page: Page, expression: string) =>
  page.evaluate<T>(
    `(() => { const root = document.querySelector('[data-parley-widget]').shadowRoot; return ${expression}; })()`,
  );

/** What the widget looked like after every change: its draft, final replies, typing dots. */
interface Frame {
  draft: string | null;
  finals: number;
  typing: boolean;
}

async function recordFrames(page: Page): Promise<void> {
  await inWidget(
    page,
    `(() => {
      const frames = (window.widgetFrames = []);
      new MutationObserver(() => frames.push({
        draft: root.querySelector('.msg.draft .text')?.textContent ?? null,
        finals: root.querySelectorAll('.msg.assistant[data-id]').length,
        typing: root.querySelector('.typing.on') !== null,
      })).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`,
  );
}

describe('chat widget in headless Chromium', () => {
  let suite: Suite;
  let browser: Browser;
  let llm: FakeLlmServer;
  let recorder: Awaited<ReturnType<typeof startServer>>;
  let host: Awaited<ReturnType<typeof startServer>>;
  const hits: string[] = [];
  let hostile = '';

  beforeAll(async () => {
    recorder = await startServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    hostile =
      `We gift wrap parcels <img src="${recorder.origin}/exfil/html" onerror="window.__pwned = 1; alert(1)"> ` +
      `with <script>window.__pwned = 2; alert(2)</script> care. ![pixel](${recorder.origin}/exfil/markdown)`;
    // Another site, on another origin, with no CSP at all: only the widget keeps it safe.
    host = await startServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A shop</title>' +
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
            '<body><h1>A shop</h1><p>Our products.</p>' +
            `<script src="${suite.web.url}/widget.js" data-title="Parley demo assistant"></script>` +
            '</body></html>',
        );
    });
    await seedKnowledge(knowledgeWithHostileArticle(hostile), ASSISTANT);
    llm = await startFakeOpenAI();
    suite = await startSuite({
      label: 'widget',
      env: {
        PARLEY_ASSISTANT_ID: ASSISTANT,
        LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
        OPENAI_BASE_URL: `${llm.url}/v1`,
        OPENAI_API_KEY: 'sk-test-key',
        LLM_ROUTE: 'all',
        LLM_MAX_RETRIES: '0',
        WEB_WIDGET_ORIGINS: host.origin,
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
    await Promise.all([llm?.close(), recorder?.close(), host?.close()]);
  });

  beforeEach(() => llm.reset());

  /** The model is down for this turn: the built-in engine answers (with its quick replies). */
  const builtinAnswers = () => llm.respondWith(() => ({ kind: 'status', status: 503 }));

  it('streams a reply into a growing draft that the reply replaces, on a 360 px screen under a strict CSP', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(suite.web.url);
    expect(response?.headers()['content-security-policy']).toMatch(
      /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'/,
    );

    await launcher(page).click();
    await panel(page).waitFor();
    // A new visitor's first message: the conversation starts, the widget connects.
    llm.script({ kind: 'text', text: 'Hello! How can I help?' });
    await say(page, 'Hello');
    await shown(page, 'assistant').filter({ hasText: 'Hello! How can I help?' }).waitFor();

    await recordFrames(page);
    llm.script({ kind: 'text', text: STREAMED });
    await say(page, 'What do members get that others do not?');
    await shown(page, 'assistant').filter({ hasText: STREAMED }).waitFor();

    const frames = await page.evaluate<Frame[]>('window.widgetFrames');
    const beforeReply = frames.filter((f) => f.finals === 1);
    const drafts = [...new Set(beforeReply.flatMap((f) => (f.draft ? [f.draft] : [])))];
    // The assistant was typing, then the draft grew word by word, each a start of the reply.
    expect(beforeReply.some((f) => f.typing)).toBe(true);
    expect(drafts.length).toBeGreaterThan(5);
    for (const [i, draft] of drafts.entries()) {
      expect(STREAMED.startsWith(draft)).toBe(true);
      if (i > 0) expect(draft.length).toBeGreaterThan(drafts[i - 1]!.length);
    }
    // Replaced, not added to: one copy of the reply, no draft left.
    expect(await texts(shown(page, 'assistant'))).toEqual(['Hello! How can I help?', STREAMED]);
    expect(await page.locator('[data-parley-widget] .msg.draft').count()).toBe(0);

    // A phone-width screen: the panel fills it and nothing sticks out.
    const box = (await panel(page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(overflow).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-360.png') });
    expect(violations).toEqual([]);
    await page.close();
  });

  it('offers quick replies as buttons: a click sends the label, which is answered; a reload restores the history', async () => {
    builtinAnswers();
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(suite.web.url);
    await launcher(page).click();

    await say(page, 'Which countries do you ship to?');
    const more = quickReplies(page).filter({ hasText: 'More detail' });
    await more.waitFor();
    await more.click();
    await shown(page, 'user').filter({ hasText: 'More detail' }).waitFor();
    expect(await quickReplies(page).count()).toBe(0);
    await shown(page, 'assistant').filter({ hasText: 'Import duties' }).waitFor();

    const before = await widgetState(page, suite.web.url);
    expect(before?.userId).toMatch(/^visitor:/);
    const history = {
      user: await texts(shown(page, 'user')),
      assistant: await texts(shown(page, 'assistant')),
    };
    expect(history.user).toEqual(['Which countries do you ship to?', 'More detail']);
    expect(history.assistant).toHaveLength(2);

    await page.reload();
    // Still open, same visitor, same conversation, every message once and in order.
    await panel(page).waitFor();
    await expectCount(shown(page, 'assistant'), 2);
    expect(await texts(shown(page, 'user'))).toEqual(history.user);
    expect(await texts(shown(page, 'assistant'))).toEqual(history.assistant);
    expect(await widgetState(page, suite.web.url)).toMatchObject({
      userId: before!.userId,
      conversationId: before!.conversationId,
    });
    // The visitor is stored as such: unverified, by the id the token proves.
    const [identity] = await query<{ verified: boolean }>(
      `SELECT verified FROM channel_identities WHERE channel = 'web' AND external_id = $1`,
      [before!.userId],
    );
    expect(identity).toEqual({ verified: false });
    await page.close();
  });

  it('shows an unread badge for replies that arrive while it is closed, kept over a reload and cleared on opening', async () => {
    builtinAnswers();
    const page = await browser.newPage();
    await page.goto(suite.web.url);
    await launcher(page).click();
    await say(page, 'Do you ship to Canada?');
    await expectCount(shown(page, 'assistant'), 1);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    expect(await badge(page).isVisible()).toBe(false);

    // The same visitor writes from another tab: the reply reaches this closed widget.
    const state = (await widgetState(page, suite.web.url))!;
    await postMessage<PostMessageAccepted>(
      suite.web.url,
      {
        userId: state.userId,
        visitorToken: state.visitorToken,
        conversationId: state.conversationId,
        text: 'How long does a refund take?',
      },
      { wait: false },
    );
    await page.locator('[data-parley-widget] .badge:not([hidden])').waitFor();
    expect(await badge(page).textContent()).toBe('1');
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat, 1 unread message');

    await page.reload();
    await page.locator('[data-parley-widget] .badge:not([hidden])').waitFor();
    expect(await badge(page).textContent()).toBe('1');

    await launcher(page).click();
    await expectCount(shown(page, 'assistant'), 2);
    expect(await badge(page).isVisible()).toBe(false);
    expect(await texts(shown(page, 'user'))).toEqual([
      'Do you ship to Canada?',
      'How long does a refund take?',
    ]);
    await page.close();
  });

  it('works from the keyboard with ARIA roles: Tab to the bubble, Enter opens, Escape closes', async () => {
    builtinAnswers();
    const page = await browser.newPage();
    await page.goto(suite.web.url);
    await launcher(page).waitFor();
    /** The focused element inside the widget, by its label or id. */
    const focused = () =>
      page.evaluate<string | null>(
        `(() => {
          const inside = document.activeElement?.shadowRoot?.activeElement;
          return inside ? inside.getAttribute('aria-label') ?? inside.id : null;
        })()`,
      );

    for (let i = 0; i < 10 && (await focused()) !== 'Open chat'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Open chat');
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');

    await page.keyboard.press('Enter');
    await panel(page).waitFor();
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('true');
    expect(await focused()).toBe('parley-input');
    await page.keyboard.type('Do you ship to Canada?');
    await page.keyboard.press('Enter');
    await expectCount(shown(page, 'assistant'), 1);

    // Roles a screen reader relies on, and a name for every button.
    expect(await page.getByRole('log', { name: 'Conversation' }).getAttribute('aria-live')).toBe(
      'polite',
    );
    expect(await page.locator('[data-parley-widget] [role=status]').count()).toBe(1);
    const unnamed = await inWidget<string[]>(
      page,
      `[...root.querySelectorAll('button')]
        .filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim()))
        .map((b) => b.outerHTML)`,
    );
    expect(unnamed).toEqual([]);

    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    expect(await focused()).toBe('Open chat');
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
    await page.close();
  });

  it('reconnects after the connection drops and shows what was said while it was down', async () => {
    builtinAnswers();
    const page = await browser.newPage();
    let down = false;
    const sockets: { page: WebSocketRoute; received: string[] }[] = [];
    await page.routeWebSocket(/\/api\/v1\/stream/, (ws) => {
      if (down) {
        void ws.close({ code: 1011 });
        return;
      }
      const socket = { page: ws, received: [] as string[] };
      ws.connectToServer().onMessage((message) => {
        socket.received.push(String(message));
        ws.send(message);
      });
      sockets.push(socket);
    });
    // While down, the transcript cannot be fetched either: only a reconnect can catch up.
    await page.route(/\/api\/v1\/conversations\//, (route) =>
      down ? route.abort('internetdisconnected') : route.continue(),
    );
    await page.goto(suite.web.url);
    await launcher(page).click();
    await say(page, 'Do you ship to Canada?');
    await expectCount(shown(page, 'assistant'), 1);
    expect(sockets).toHaveLength(1);

    // The connection drops and stays down while the visitor's other tab gets an answer.
    down = true;
    await sockets[0]!.page.close({ code: 1006 });
    const state = (await widgetState(page, suite.web.url))!;
    const res = await postMessage<{ replies: { text: string }[] }>(suite.web.url, {
      userId: state.userId,
      visitorToken: state.visitorToken,
      conversationId: state.conversationId,
      text: 'How long does a refund take?',
    });
    expect(res.status).toBe(200);
    await page.waitForTimeout(1500);
    expect(await shown(page, 'assistant').count()).toBe(1);

    // Back up: the widget reconnects on its own and fetches what it missed, once.
    down = false;
    await shown(page, 'user').filter({ hasText: 'How long does a refund take?' }).waitFor();
    await expectCount(shown(page, 'assistant'), 2);
    expect(await texts(shown(page, 'assistant'))).toContain(res.body.replies[0]!.text);
    expect(sockets).toHaveLength(2);

    // And the new connection is live: the next reply comes over it.
    await say(page, 'Thanks!');
    await expectCount(shown(page, 'assistant'), 3);
    expect(sockets[1]!.received.some((m) => m.includes('"type":"replies"'))).toBe(true);
    await page.close();
  });

  it('starts over as a new visitor, message and all, when the server no longer accepts its token', async () => {
    builtinAnswers();
    const page = await browser.newPage();
    await page.goto(suite.web.url);
    // An identity signed with a key the server no longer has (its secret was changed).
    const stale = 'visitor:00000000-0000-4000-8000-000000000000';
    const key = JSON.stringify(`parley.widget:${suite.web.url}`);
    const value = JSON.stringify({ userId: stale, visitorToken: 'A'.repeat(43), customer: false });
    await page.evaluate(`localStorage.setItem(${key}, ${JSON.stringify(value)})`);
    await page.reload();
    await launcher(page).click();

    await say(page, 'Do you ship to Canada?');
    await expectCount(shown(page, 'assistant'), 1);
    expect(await texts(shown(page, 'user'))).toEqual(['Do you ship to Canada?']);
    expect(await page.locator('[data-parley-widget] .notice').textContent()).toMatch(/expired/);
    const fresh = (await widgetState(page, suite.web.url))!;
    expect(fresh.userId).toMatch(/^visitor:/);
    expect(fresh.userId).not.toBe(stale);
    await page.close();
  });

  it('shows HTML and Markdown images in replies as text on another site without a CSP: nothing runs, nothing loads', async () => {
    // The model quotes the article, streaming it; the built-in engine would quote it too.
    llm.script({ kind: 'text', text: hostile });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${host.origin}/`);
    await launcher(page).click();
    await say(
      page,
      `Do you gift wrap parcels? <img src="${recorder.origin}/exfil/mine" onerror="alert(3)">`,
    );

    const reply = shown(page, 'assistant').filter({ hasText: 'gift wrap' });
    await reply.waitFor();
    await page.waitForTimeout(500);

    // Nothing was fetched from the recorder, nothing ran.
    expect(hits).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    const elements = await inWidget<number>(
      page,
      `root.querySelectorAll('img, script, iframe, object, embed, image').length`,
    );
    expect(elements).toBe(0);
    // What was sent is shown as the text it is; the Markdown image is a link to click.
    expect(await reply.textContent()).toContain(
      `<img src="${recorder.origin}/exfil/html" onerror=`,
    );
    expect(await reply.textContent()).toContain('<script>window.__pwned = 2; alert(2)</script>');
    expect(await shown(page, 'user').textContent()).toContain('<img src=');
    const image = reply.getByRole('link', { name: 'Image: pixel' });
    expect(await image.getAttribute('href')).toBe(`${recorder.origin}/exfil/markdown`);
    await page.close();
  });
});

async function expectCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await locator.count()) !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await locator.count()).toBe(count);
}
