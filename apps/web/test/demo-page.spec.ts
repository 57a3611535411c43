import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import {
  ARTIFACTS_DIR,
  DEMO_KNOWLEDGE_DIR,
  launchBrowser,
  seedKnowledge,
  startSuite,
  type Suite,
} from '@parley/testing';

const ASSISTANT = 'demo-page-e2e';

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

describe('demo chat page in headless Chromium', () => {
  let suite: Suite;
  let browser: Browser;

  beforeAll(async () => {
    await seedKnowledge(knowledgeWithHostileArticle(), ASSISTANT);
    suite = await startSuite({ label: 'demo-page', env: { PARLEY_ASSISTANT_ID: ASSISTANT } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('chats, offers suggestions that can be clicked, and restores the history on reload', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(suite.web.url);

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
});

async function expectCount(locator: ReturnType<Page['locator']>, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await locator.count()).toBe(count);
}
