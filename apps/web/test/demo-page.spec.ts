import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { ApiError } from '@parley/contracts';
import {
  ARTIFACTS_DIR,
  DEMO_KNOWLEDGE_DIR,
  launchBrowser,
  query,
  seedKnowledge,
  startApp,
  startSuite,
  testEnv,
  uniquePrefix,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const ASSISTANT = 'demo-page-e2e';
const IDENTITY_SECRET = 'demo-page-identity-secret-0123456789';

/** The demo help centre plus one article whose text carries HTML and a Markdown image. */
function knowledgeWithHostileArticle(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-kb-'));
  cpSync(DEMO_KNOWLEDGE_DIR, dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'gift-wrapping.md'),
    '# Gift wrapping\n\nWe gift wrap parcels <img src="/x" onerror="window.__pwned = 1"> with ' +
      '<script>window.__pwned = 2</script> care. ![pixel](https://tracker.invalid/pixel.png)\n',
  );
  return dir;
}

// The widget on the page, through its shadow root (Playwright's CSS locators pierce open ones).
const openWidget = async (page: Page) => {
  await page.locator('[data-parley-widget] .launcher').click();
  await page.getByRole('dialog', { name: 'Parley demo assistant' }).waitFor();
};
const shown = (page: Page, role: 'user' | 'assistant') =>
  page.locator(`[data-parley-widget] .msg.${role}:not(.draft):not(.welcome) .text`);
const quickReply = (page: Page, label: string) =>
  page.getByRole('group', { name: 'Suggested replies' }).getByRole('button', { name: label });

/** Whether the web channel stored this user as a verified customer; undefined if never seen. */
async function verifiedIdentity(userId: string): Promise<boolean | undefined> {
  const [row] = await query<{ verified: boolean }>(
    `SELECT verified FROM channel_identities WHERE channel = 'web' AND external_id = $1`,
    [userId],
  );
  return row?.verified;
}

/** The user id the widget chats as (its stored identity, per Parley server). */
const widgetUserId = async (page: Page) =>
  (await page.evaluate<string | null>(
    `(JSON.parse(localStorage.getItem('parley.widget:' + location.origin) || '{}')).userId || null`,
  )) ?? '';

async function say(page: Page, text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Your message' });
  await input.fill(text);
  await input.press('Enter');
}

async function sendAndAwaitReply(page: Page, text: string): Promise<void> {
  const before = await shown(page, 'assistant').count();
  await say(page, text);
  await expectCount(shown(page, 'assistant'), before + 1);
}

describe('demo page (a shop embedding the widget) in headless Chromium', () => {
  let suite: Suite;
  let browser: Browser;

  beforeAll(async () => {
    await seedKnowledge(knowledgeWithHostileArticle(), ASSISTANT);
    suite = await startSuite({
      label: 'demo-page',
      env: {
        PARLEY_ASSISTANT_ID: ASSISTANT,
        WEB_IDENTITY_SECRET: IDENTITY_SECRET,
        WEB_DEMO_SIGN_IN: 'true',
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('chats in the widget, offers suggestions that can be clicked, and restores the history on reload', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(suite.web.url);
    // A return touches the customer's account, which takes a signed-in (verified) customer.
    await page.getByRole('button', { name: 'Sign in as a demo customer' }).click();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();
    await openWidget(page);

    await say(page, 'How long does a refund take?');
    await shown(page, 'assistant').filter({ hasText: 'business days' }).waitFor();

    // A flow asks for confirmation with Yes / No buttons; clicking one answers it.
    await say(page, "I'd like to return ORD-20417, it's too small");
    await quickReply(page, 'Yes').click();
    await shown(page, 'user').filter({ hasText: 'Yes' }).waitFor();
    await shown(page, 'assistant').filter({ hasText: 'RET-' }).waitFor();
    await expectCount(shown(page, 'assistant'), 3);

    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page.png'), fullPage: true });

    await page.reload();
    await expectCount(page.locator('[data-parley-widget] .msg[data-id]'), 6);
    expect(await shown(page, 'user').first().textContent()).toBe('How long does a refund take?');
    await page.close();
  });

  it('shows HTML and Markdown images in replies as text: nothing runs, nothing loads', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(suite.web.url);
    await openWidget(page);

    await say(page, 'Do you gift wrap parcels?');
    const reply = shown(page, 'assistant').filter({ hasText: 'gift wrap' });
    await reply.waitFor();

    expect(await reply.textContent()).toContain('<img src="/x" onerror=');
    expect(await page.locator('[data-parley-widget] .log').locator('img, script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(
      requested.filter((url) => url.includes('tracker.invalid') || url.endsWith('/x')),
    ).toEqual([]);
    await page.close();
  });

  it('signs in as a demo customer whose messages are verified, and signs out to a new visitor', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(suite.web.url);
    const status = page.locator('#identity-status');
    const signIn = page.getByRole('button', { name: 'Sign in as a demo customer' });
    const signOut = page.getByRole('button', { name: 'Sign out' });

    await signIn.waitFor();
    expect(await status.textContent()).toBe('Anonymous visitor');
    await signIn.click();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();
    expect(await signIn.isVisible()).toBe(false);
    expect(await signOut.isVisible()).toBe(true);

    await openWidget(page);
    await sendAndAwaitReply(page, 'Do you ship to Canada?');
    const customer = await widgetUserId(page);
    expect(customer).toMatch(/^demo-[0-9a-f-]{36}$/);
    expect(await verifiedIdentity(customer)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-signed-in.png') });

    // Still signed in after a reload: the page keeps putting the customer's userHash in the tag,
    // which also reads the customer's conversation back.
    const shownBefore = await page.locator('[data-parley-widget] .msg[data-id]').count();
    await page.reload();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();
    await expectCount(page.locator('[data-parley-widget] .msg[data-id]'), shownBefore);
    await sendAndAwaitReply(page, 'How long does a refund take?');
    expect(await page.locator('[data-parley-widget] .notice', { hasText: 'Sorry' }).count()).toBe(
      0,
    );

    // On a phone the chat covers the page: close it to reach the shop's Sign out.
    await page.keyboard.press('Escape');
    await signOut.click();
    await page.locator('#identity-status', { hasText: 'Anonymous visitor' }).waitFor();
    expect(await signIn.isVisible()).toBe(true);
    await openWidget(page);
    expect(await page.locator('[data-parley-widget] .msg[data-id]').count()).toBe(0);
    await sendAndAwaitReply(page, 'Do you ship to Canada?');
    const visitor = await widgetUserId(page);
    expect(visitor).toMatch(/^visitor:/);
    expect(await verifiedIdentity(visitor)).toBe(false);
    expect(await verifiedIdentity(customer)).toBe(true);
    await page.close();
  });

  it('drops a demo sign-in the server no longer accepts, and says so', async () => {
    const page = await browser.newPage();
    await page.goto(suite.web.url);
    // Signed in under an identity key the server no longer has (npm start restarted with another).
    await page.evaluate(
      `localStorage.setItem('parley.demo.customer', JSON.stringify({ userId: 'demo-stale', userHash: '${'0'.repeat(64)}' }))`,
    );
    await page.reload();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();
    await openWidget(page);
    await say(page, 'Hello');

    await page.locator('#identity-status', { hasText: 'Your demo sign-in expired' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('parley.demo.customer')")).toBeNull();
    expect(await verifiedIdentity('demo-stale')).toBeUndefined();
    await page.close();
  });

  it('warns at start-up that demo sign-in gives anyone a verified identity', () => {
    expect(suite.web.output()).toMatch(/anyone can obtain a verified identity: for the demo only/);
  });
});

describe('demo sign-in off (WEB_DEMO_SIGN_IN unset)', () => {
  let web: RunningApp;

  beforeAll(async () => {
    web = await startApp('web', {
      ...testEnv(),
      PARLEY_QUEUE_PREFIX: uniquePrefix('demo-sign-in-off'),
      WEB_IDENTITY_SECRET: IDENTITY_SECRET,
    });
  });

  afterAll(() => web?.stop('SIGTERM'));

  it('answers POST /demo/sign-in with 404 not_found in the error shape, and offers no sign-in', async () => {
    const response = await fetch(`${web.url}/demo/sign-in`, { method: 'POST' });
    const body = (await response.json()) as ApiError;

    expect(response.status).toBe(404);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toMatch(/WEB_DEMO_SIGN_IN/);
    const config = await fetch(`${web.url}/demo/config`);
    expect(await config.json()).toEqual({ signIn: false });
  });

  it('refuses to start with WEB_DEMO_SIGN_IN=true but no WEB_IDENTITY_SECRET', async () => {
    const bad = await startApp(
      'web',
      { ...testEnv(), WEB_DEMO_SIGN_IN: 'true' },
      { waitReady: false },
    );
    const { code } = await bad.exited;

    expect(code).not.toBe(0);
    expect(bad.output()).toMatch(/WEB_DEMO_SIGN_IN: needs WEB_IDENTITY_SECRET/);
  });
});

async function expectCount(locator: ReturnType<Page['locator']>, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await locator.count()).toBe(count);
}
