import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';

import {
  ARTIFACTS_DIR,
  eventually,
  launchBrowser,
  query,
  seedDemoKnowledge,
  startApp,
  startSuite,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const ADMIN_EMAIL = `browser-admin-${randomUUID().slice(0, 8)}@example.com`;
const ADMIN_PASSWORD = 'a long test password';
const AGENT_REPLY = 'Hi, this is a person from support. I can help with that order.';
const HOSTILE = 'Here is my receipt <img src=x onerror="window.__pwned = 1; alert(1)">';

// -- the widget on the web app's demo page, through its open shadow root --
const launcher = (page: Page) => page.locator('[data-parley-widget] .launcher');
const widgetInput = (page: Page) => page.getByRole('textbox', { name: 'Your message' });
const quickReplies = (page: Page) =>
  page.getByRole('group', { name: 'Suggested replies' }).getByRole('button');
/** A final message from anyone but the customer; of one role when given. */
const widgetSays = (
  page: Page,
  role: 'assistant' | 'agent' | 'system' | null,
  text: string | RegExp,
) =>
  page
    .locator(
      `[data-parley-widget] .log .msg${role ? `.${role}` : ':not(.user)'}:not(.draft):not(.welcome) .text`,
    )
    .filter({ hasText: text });

async function say(page: Page, text: string): Promise<void> {
  await widgetInput(page).fill(text);
  await widgetInput(page).press('Enter');
}

/** The conversation the widget on this page keeps in its storage. */
async function widgetConversation(page: Page, server: string): Promise<string> {
  const key = JSON.stringify(`parley.widget:${server}`);
  const state = await page.evaluate<{ conversationId?: string } | null>(
    `JSON.parse(localStorage.getItem(${key}) || 'null')`,
  );
  expect(state?.conversationId).toBeTruthy();
  return state!.conversationId!;
}

/** Polls until `read` gives `expected` (a condition, not a sleep). */
async function until<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await read()) === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await read()).toBe(expected);
}

const text = async (locator: Locator) => (await locator.textContent()) ?? '';

describe('console in headless Chromium', () => {
  let suite: Suite;
  let consoleApp: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'console-browser' });
    consoleApp = await startApp('console', {
      ...suite.env,
      CONSOLE_COOKIE_SECURE: 'false',
      CONSOLE_ADMIN_EMAIL: ADMIN_EMAIL,
      CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await suite?.stop();
  });

  it('lets an agent take over an escalated web chat live and hand it back to the bot, which asks for a rating', async () => {
    // Page B: the console, watched for CSP violations and for anything that runs from a message.
    const agentPage = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const violations: string[] = [];
    const dialogs: string[] = [];
    agentPage.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    agentPage.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await agentPage.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) =>
        (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    await agentPage.goto(`${consoleApp.url}/console`);
    await agentPage.getByPlaceholder('Email').fill(ADMIN_EMAIL);
    await agentPage.getByPlaceholder('Password').fill(ADMIN_PASSWORD);
    // The inbox's first load is over before the customer escalates.
    const firstLoad = agentPage.waitForResponse((r) => r.url().includes('/console/api/tickets?'));
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.getByRole('heading', { name: 'Inbox' }).waitFor();
    await firstLoad;
    expect(await text(agentPage.locator('#who'))).toMatch(/\(admin\)/);

    // Page A: the customer's widget asks for a human; the orchestrator opens a ticket.
    const customerPage = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await customerPage.goto(suite.web.url);
    await launcher(customerPage).click();
    await say(customerPage, 'I want to talk to a human');
    await widgetSays(customerPage, null, /in line/).waitFor();
    const conversationId = await widgetConversation(customerPage, suite.web.url);
    const ticketId = await eventually(async () => {
      const [row] = await query<{ id: string }>(
        'SELECT id FROM handoff_tickets WHERE conversation_id = $1',
        [conversationId],
      );
      return row?.id;
    });

    // The open inbox refreshes itself (every 10 s): the new ticket shows up without a reload.
    const row = agentPage.locator(`tr[data-ticket="${ticketId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await text(row)).toMatch(/web.*open/);
    await agentPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'console-inbox.png') });

    await row.getByRole('link').click();
    const info = agentPage.locator('#app > p').first();
    await agentPage.locator('.messages .msg.user').filter({ hasText: 'talk to a human' }).waitFor();
    await agentPage.getByRole('button', { name: 'Claim' }).click();
    await until(async () => /Status: claimed/.test(await text(info)), true);

    await agentPage.getByPlaceholder('Reply to the customer').fill(AGENT_REPLY);
    await agentPage.getByRole('button', { name: 'Send reply' }).click();
    // The agent's reply reaches the customer's open widget live, and the console's own stream.
    await widgetSays(customerPage, 'agent', AGENT_REPLY).waitFor();
    await agentPage.locator('.messages .msg.agent').filter({ hasText: AGENT_REPLY }).waitFor();
    await customerPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-agent-reply.png') });

    // The customer's markup reaches the agent live, as text: no element, nothing runs.
    await say(customerPage, HOSTILE);
    const hostile = agentPage.locator('.messages .msg.user').filter({ hasText: 'my receipt' });
    await hostile.waitFor();
    expect(await text(hostile)).toContain(HOSTILE);
    expect(await agentPage.locator('#app img, #app script, #app iframe').count()).toBe(0);
    expect(await agentPage.evaluate('window.__pwned')).toBeUndefined();
    await agentPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'console-ticket.png') });

    // Resolved: the bot is back and asks for a rating, offering 1 to 5.
    await agentPage.getByRole('button', { name: 'Resolve and hand back' }).click();
    await until(async () => /Status: resolved/.test(await text(info)), true);
    await widgetSays(customerPage, 'system', /1 \(poor\) to 5 \(great\)/).waitFor();
    await until(
      async () => (await quickReplies(customerPage).allTextContents()).join(','),
      '1,2,3,4,5',
    );
    await quickReplies(customerPage).filter({ hasText: '5' }).click();
    await widgetSays(customerPage, 'assistant', /Thank you for rating us 5 out of 5/).waitFor();
    const [rated] = await query<{ csat: number | null; status: string }>(
      'SELECT csat, status::text FROM conversations WHERE id = $1',
      [conversationId],
    );
    expect(rated).toEqual({ csat: 5, status: 'bot' });

    // And the bot answers the next question itself.
    await say(customerPage, 'Do you ship to Canada?');
    const answer = widgetSays(customerPage, 'assistant', /Canada/);
    await answer.waitFor();
    await answer.scrollIntoViewIfNeeded();
    await customerPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-bot-again.png') });

    expect(violations).toEqual([]);
    expect(await agentPage.evaluate('window.__violations ?? []')).toEqual([]);
    expect(dialogs).toEqual([]);
    await Promise.all([customerPage.close(), agentPage.close()]);
  });
});
