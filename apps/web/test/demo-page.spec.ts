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

const assistantBubbles = (page: Page) => page.locator('#log li.assistant:not(.pending)');

/** Whether the web channel stored this user as a verified customer; undefined if never seen. */
async function verifiedIdentity(userId: string): Promise<boolean | undefined> {
  const [row] = await query<{ verified: boolean }>(
    `SELECT verified FROM channel_identities WHERE channel = 'web' AND external_id = $1`,
    [userId],
  );
  return row?.verified;
}

const storedUserId = async (page: Page) =>
  (await page.evaluate<string | null>("localStorage.getItem('parley.userId')")) ?? '';

async function sendAndAwaitReply(page: Page, text: string): Promise<void> {
  const before = await assistantBubbles(page).count();
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  await page.locator('#log li.pending').waitFor({ state: 'detached' });
  expect(await assistantBubbles(page).count()).toBeGreaterThan(before);
}

describe('demo chat page in headless Chromium', () => {
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

  it('chats, offers suggestions that can be clicked, and restores the history on reload', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(suite.web.url);
    // A return touches the customer's account, which takes a signed-in (verified) customer.
    await page.getByRole('button', { name: 'Sign in as a demo customer' }).click();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();

    await page.fill('#text', 'How long does a refund take?');
    await page.press('#text', 'Enter');
    await page.locator('#log li.assistant', { hasText: 'business days' }).waitFor();

    // A flow asks for confirmation with Yes / No buttons; clicking one answers it.
    await page.fill('#text', "I'd like to return ORD-20417, it's too small");
    await page.click('button[type=submit]');
    const suggestion = page.locator('#suggestions button', { hasText: 'Yes' });
    await suggestion.waitFor();
    await suggestion.click();
    await page.locator('#log li.user', { hasText: 'Yes' }).waitFor();
    await page.locator('#log li.assistant', { hasText: 'RET-' }).waitFor();
    await expectCount(assistantBubbles(page), 3);

    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page.png'), fullPage: true });

    await page.reload();
    await expectCount(page.locator('#log li'), 6);
    expect(await page.locator('#log li.user').first().textContent()).toBe(
      'How long does a refund take?',
    );
    await page.close();
  });

  it('shows HTML and Markdown images in replies as text: nothing runs, nothing loads', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(suite.web.url);

    await page.fill('#text', 'Do you gift wrap parcels?');
    await page.press('#text', 'Enter');
    const reply = page.locator('#log li.assistant', { hasText: 'gift wrap' });
    await reply.waitFor();

    expect(await reply.textContent()).toContain('<img src="/x" onerror=');
    expect(await page.locator('#log img, #log script').count()).toBe(0);
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

    const customer = await storedUserId(page);
    expect(customer).toMatch(/^demo-[0-9a-f-]{36}$/);
    await sendAndAwaitReply(page, 'Do you ship to Canada?');
    expect(await verifiedIdentity(customer)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-signed-in.png') });

    // Still signed in after a reload: the page keeps sending the customer's userHash.
    const shown = await page.locator('#log li').count();
    await page.reload();
    await page.locator('#identity-status', { hasText: 'Signed in as demo customer' }).waitFor();
    await expectCount(page.locator('#log li'), shown);
    await sendAndAwaitReply(page, 'How long does a refund take?');
    expect(await page.locator('#log li.assistant', { hasText: 'Sorry' }).count()).toBe(0);

    await signOut.click();
    await page.locator('#identity-status', { hasText: 'Anonymous visitor' }).waitFor();
    expect(await signIn.isVisible()).toBe(true);
    expect(await page.locator('#log li').count()).toBe(0);
    const visitor = await storedUserId(page);
    expect(visitor).not.toBe(customer);
    await sendAndAwaitReply(page, 'Do you ship to Canada?');
    expect(await verifiedIdentity(visitor)).toBe(false);
    expect(await verifiedIdentity(customer)).toBe(true);
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
