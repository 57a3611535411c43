import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { Browser } from 'playwright-core';

import type { PostMessageResponse } from '@parley/contracts';
import type { AnalyticsReport, LowRatedConversation } from '@parley/db';
import {
  ARTIFACTS_DIR,
  eventually,
  launchBrowser,
  postMessage,
  query,
  seedDemoKnowledge,
  signedIn,
  startApp,
  startSuite,
  type RunningApp,
  type Suite,
} from '@parley/testing';

import { hashPassword } from '../src/auth/password';

/** An assistant of this file alone: no other test file's conversations reach its figures. */
const ASSISTANT = `analytics-${randomUUID().slice(0, 8)}`;
const OTHER_ASSISTANT = `analytics-other-${randomUUID().slice(0, 8)}`;
const PASSWORD = 'a long test password';
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Session {
  cookie: string;
}

/** percentile_cont as Postgres computes it: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/**
 * The analytics dashboard against real conversations driven through the whole suite (web app,
 * orchestrator, tools, console): what the API reports is what happened, for this assistant only.
 */
describe('console analytics', () => {
  let suite: Suite;
  let consoleApp: RunningApp;
  const agent = { email: `analyst-${randomUUID().slice(0, 8)}@example.com` };
  const outsider = { email: `outsider-${randomUUID().slice(0, 8)}@example.com` };
  /** What the customers did, as the test saw it. */
  const seen = {
    greeting: '',
    ratedConversation: '',
    ratedTicket: '',
    conversations: [] as string[],
  };

  async function createAgent(email: string, assistantId: string) {
    await query(
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1, $2, $3, $4, 'agent'::"AgentRole", $5)`,
      [randomUUID(), assistantId, email, 'Analyst', await hashPassword(PASSWORD)],
    );
  }

  async function signIn(email: string, assistant: string): Promise<Session & { csrf: string }> {
    const response = await fetch(`${consoleApp.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, assistant }),
    });
    expect(response.status).toBe(200);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken };
  }

  async function get<T>(path: string, session?: Session): Promise<{ status: number; body: T }> {
    const response = await fetch(`${consoleApp.url}/console/api${path}`, {
      headers: session ? { cookie: session.cookie } : {},
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function post(path: string, session: Session & { csrf: string }) {
    const response = await fetch(`${consoleApp.url}/console/api${path}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(response.status).toBe(200);
  }

  const say = async (
    userId: string,
    text: string,
    options: { conversationId?: string; verified?: boolean } = {},
  ) => {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      ...(options.verified ? signedIn(userId) : { userId }),
      text,
      ...(options.conversationId ? { conversationId: options.conversationId } : {}),
    });
    expect(res.status).toBe(200);
    if (!seen.conversations.includes(res.body.conversationId)) {
      seen.conversations.push(res.body.conversationId);
    }
    return res.body;
  };

  const ticketOf = (conversationId: string) =>
    eventually(async () => {
      const [row] = await query<{ id: string }>(
        'SELECT id FROM handoff_tickets WHERE conversation_id = $1',
        [conversationId],
      );
      return row?.id;
    });

  beforeAll(async () => {
    await seedDemoKnowledge(ASSISTANT);
    suite = await startSuite({ label: 'analytics', env: { PARLEY_ASSISTANT_ID: ASSISTANT } });
    consoleApp = await startApp('console', { ...suite.env, CONSOLE_COOKIE_SECURE: 'false' });
    await createAgent(agent.email, ASSISTANT);
    await createAgent(outsider.email, OTHER_ASSISTANT);

    // 1. Answered by the bot and contained.
    const answered = await say(`user-${randomUUID()}`, 'What are your opening hours?');
    expect(answered.status).toBe('bot');

    // 2. Asks for a person: escalated.
    const escalated = await say(`user-${randomUUID()}`, 'I want to talk to a human');
    expect(escalated.status).toBe('handoff');
    await ticketOf(escalated.conversationId);

    // 3. Escalated, resolved by an agent, rated 1 through the CSAT question.
    const rater = `user-${randomUUID()}`;
    const rated = await say(rater, 'I want to talk to a human');
    expect(rated.status).toBe('handoff');
    seen.ratedConversation = rated.conversationId;
    seen.ratedTicket = await ticketOf(rated.conversationId);
    const session = await signIn(agent.email, ASSISTANT);
    await post(`/tickets/${seen.ratedTicket}/claim`, session);
    await post(`/tickets/${seen.ratedTicket}/resolve`, session);
    const thanks = await say(rater, '1', { conversationId: rated.conversationId });
    expect(thanks.status).toBe('bot');
    const [csat] = await query<{ csat: number }>('SELECT csat FROM conversations WHERE id = $1', [
      rated.conversationId,
    ]);
    expect(csat?.csat).toBe(1);

    // 4. A greeting, then something the engine cannot understand: a fallback after the greeting.
    const lost = `user-${randomUUID()}`;
    const hello = await say(lost, 'hello');
    seen.greeting = hello.replies.at(-1)!.text;
    await say(lost, 'zorp blenticular quaffle?', { conversationId: hello.conversationId });

    // 5. Order status, completed: the flow asks for the number, the tool answers.
    const tracker = `user-${randomUUID()}`;
    const asked = await say(tracker, 'where is my order?', { verified: true });
    expect(asked.replies.at(-1)!.text).toMatch(/order number/);
    const status = await say(tracker, 'ORD-10482', {
      conversationId: asked.conversationId,
      verified: true,
    });
    expect(status.replies.at(-1)!.text).toMatch(/ORD-10482/);

    // 6. Order status, abandoned after the first question.
    const quitter = await say(`user-${randomUUID()}`, 'where is my order?', { verified: true });
    expect(quitter.replies.at(-1)!.text).toMatch(/order number/);
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await suite?.stop();
  });

  describe('GET /console/api/analytics', () => {
    let report: AnalyticsReport;

    beforeAll(async () => {
      const session = await signIn(agent.email, ASSISTANT);
      const res = await get<AnalyticsReport>(
        `/analytics?from=${day(-1)}&to=${day(1)}&channel=web`,
        session,
      );
      expect(res.status).toBe(200);
      report = res.body;
    });

    it('counts the conversations, and those a person had', () => {
      expect(report.totals.conversations).toBe(6);
      expect(seen.conversations).toHaveLength(6);
      expect(report.totals.escalated).toBe(2);
      expect(report.totals.containmentRate).toBeCloseTo(4 / 6, 10);
      expect(report.totals.escalationRate).toBeCloseTo(2 / 6, 10);
      expect(report.byChannel).toEqual([
        expect.objectContaining({ channel: 'web', conversations: 6, escalated: 2 }),
      ]);
      expect(report.byDay.map((d) => d.day)).toEqual([day(-1), day(0), day(1)]);
      expect(report.byDay.reduce((sum, d) => sum + d.conversations, 0)).toBe(6);
    });

    it('gives the escalation reasons by kind and as written', () => {
      expect(report.escalationReasons).toEqual([{ category: 'customer_request', count: 2 }]);
      expect(report.topEscalationReasons).toEqual([
        { reason: 'customer asked for a person', count: 2 },
      ]);
    });

    it('reports the CSAT of the rated conversation', () => {
      expect(report.totals.csatAverage).toBe(1);
      expect(report.totals.csatCount).toBe(1);
      expect(report.csatDistribution).toEqual([
        { rating: 1, count: 1 },
        { rating: 2, count: 0 },
        { rating: 3, count: 0 },
        { rating: 4, count: 0 },
        { rating: 5, count: 0 },
      ]);
    });

    it('counts turns, and takes the latency percentiles over the bot replies', async () => {
      // 1 + 1 + 2 (the rating) + 2 + 2 + 1 customer messages in 6 conversations.
      expect(report.totals.averageTurns).toBeCloseTo(9 / 6, 10);
      const latencies = (
        await query<{ latency_ms: number }>(
          `SELECT latency_ms FROM messages WHERE assistant_id = $1 AND role = 'user'`,
          [ASSISTANT],
        )
      ).map((row) => row.latency_ms);
      expect(latencies).toHaveLength(9);
      expect(report.totals.replies).toBe(9);
      expect(report.totals.latencyP50Ms).toBeCloseTo(percentile(latencies, 0.5), 6);
      expect(report.totals.latencyP95Ms).toBeCloseTo(percentile(latencies, 0.95), 6);
      // The built-in engine uses no model: nothing spent.
      expect(report.totals.costUsd).toBe(0);
      expect(report.totals.costPerConversationUsd).toBe(0);
    });

    it('ranks the intents customers came with', () => {
      const count = (intent: string) => report.topIntents.find((i) => i.intent === intent)?.count;
      expect(count('talk_to_human')).toBe(2);
      expect(count('order_status')).toBe(2);
      expect(count('flow.order_status')).toBe(1);
      expect(count('csat')).toBe(1);
      expect(count('oos')).toBe(1);
      expect(report.topIntents.reduce((sum, i) => sum + i.count, 0)).toBe(9);
      expect(report.topIntents[0]).toMatchObject({ count: 2, share: 2 / 9 });
    });

    it('finds where the customer got lost: after the greeting, at the greeting reply', () => {
      expect(report.fallbacks).toEqual({ count: 1, rate: 1 / 9 });
      expect(report.fallbackHotspots).toEqual([
        { afterIntent: 'greet', afterPrompt: seen.greeting.slice(0, 160), count: 1 },
      ]);
    });

    it('tells started flows from completed ones', () => {
      const orderStatus = report.flows.find((f) => f.flow === 'order_status');
      expect(orderStatus).toEqual({
        flow: 'order_status',
        started: 2,
        completed: 1,
        escalated: 0,
        completionRate: 0.5,
      });
      expect(report.flows.filter((f) => f.flow !== 'order_status' && f.started > 0)).toEqual([]);
    });

    it('filters by channel and by day', async () => {
      const session = await signIn(agent.email, ASSISTANT);
      const sms = await get<AnalyticsReport>(
        `/analytics?from=${day(-1)}&to=${day(1)}&channel=sms`,
        session,
      );
      expect(sms.body.totals.conversations).toBe(0);
      expect(sms.body.byChannel).toEqual([]);
      const past = await get<AnalyticsReport>(`/analytics?from=${day(-30)}&to=${day(-2)}`, session);
      expect(past.body.totals.conversations).toBe(0);
      expect(past.body.topIntents).toEqual([]);
    });

    it('defaults to the last 14 days', async () => {
      const res = await get<AnalyticsReport>('/analytics', await signIn(agent.email, ASSISTANT));
      expect(res.status).toBe(200);
      expect(res.body.byDay).toHaveLength(14);
      expect(res.body.filter).toEqual({ from: day(-13), to: day(0), channel: null });
      expect(res.body.totals.conversations).toBe(6);
    });

    it.each([
      ['a date that is not one', 'from=2026-02-30&to=2026-03-01'],
      ['not a date at all', 'from=yesterday'],
      ['from after to', `from=${day(0)}&to=${day(-1)}`],
      ['more than 366 days', 'from=2024-01-01&to=2025-01-01'],
      ['an unknown channel', 'channel=fax'],
    ])('refuses %s with a 400', async (_case, search) => {
      const res = await get<{ error: { code: string; message: string } }>(
        `/analytics?${search}`,
        await signIn(agent.email, ASSISTANT),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toBeTruthy();
    });

    it('takes a range of exactly 366 days', async () => {
      const res = await get(
        '/analytics?from=2024-01-01&to=2024-12-31',
        await signIn(agent.email, ASSISTANT),
      );
      expect(res.status).toBe(200);
    });
  });

  describe('GET /console/api/analytics/low-rated', () => {
    it('lists the conversation rated 1, with what the customer last said and its ticket', async () => {
      const res = await get<{ conversations: LowRatedConversation[] }>(
        '/analytics/low-rated',
        await signIn(agent.email, ASSISTANT),
      );
      expect(res.status).toBe(200);
      expect(res.body.conversations).toEqual([
        expect.objectContaining({
          conversationId: seen.ratedConversation,
          channel: 'web',
          rating: 1,
          escalationReason: 'customer asked for a person',
          lastCustomerMessage: 'I want to talk to a human',
          ticketId: seen.ratedTicket,
        }),
      ]);
    });
  });

  describe('access', () => {
    it.each(['/analytics', '/analytics/low-rated'])(
      'refuses %s without a session (401)',
      async (path) => {
        const res = await get<{ error: { code: string } }>(path);
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
        const forged = await get(path, { cookie: 'parley_console=forged' });
        expect(forged.status).toBe(401);
      },
    );

    it("shows an agent of another assistant none of this assistant's data", async () => {
      const session = await signIn(outsider.email, OTHER_ASSISTANT);
      const report = await get<AnalyticsReport>(`/analytics?from=${day(-1)}&to=${day(1)}`, session);
      expect(report.status).toBe(200);
      expect(report.body.totals.conversations).toBe(0);
      expect(report.body.topIntents).toEqual([]);
      expect(report.body.escalationReasons).toEqual([]);
      expect(report.body.csatDistribution.every((c) => c.count === 0)).toBe(true);
      expect(report.body.fallbackHotspots).toEqual([]);
      expect(report.body.flows.every((f) => f.started === 0)).toBe(true);
      const lowRated = await get<{ conversations: unknown[] }>('/analytics/low-rated', session);
      expect(lowRated.status).toBe(200);
      expect(lowRated.body.conversations).toEqual([]);
    });
  });

  describe('dashboard in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('draws the charts from the figures and lists the low-rated conversation', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          refused.push(message.text());
      });
      page.on('pageerror', (error) => refused.push(error.message));

      // Signs in on the console, then follows its Analytics link.
      await page.goto(`${consoleApp.url}/console`);
      await page.getByPlaceholder('Email').fill(agent.email);
      await page.getByPlaceholder('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Analytics' }).click();
      await page.waitForURL(/\/console\/analytics/);
      await page.locator('#app[data-state="ready"]').waitFor();

      const chart = (id: string) =>
        page.evaluate((canvasId) => {
          const found = (
            globalThis as unknown as {
              Chart: {
                getChart(
                  id: string,
                ):
                  | { data: { labels: unknown[]; datasets: { label: string; data: unknown[] }[] } }
                  | undefined;
              };
            }
          ).Chart.getChart(canvasId);
          return found
            ? {
                labels: found.data.labels,
                datasets: found.data.datasets.map((d) => ({ label: d.label, data: d.data })),
              }
            : null;
        }, id);
      const sum = (values: unknown[]) => values.reduce<number>((s, v) => s + Number(v ?? 0), 0);

      const conversations = await chart('chart-conversations');
      expect(conversations!.labels).toHaveLength(14);
      expect(sum(conversations!.datasets[0]!.data)).toBe(6);
      expect(sum(conversations!.datasets[1]!.data)).toBe(2);
      expect((await chart('chart-csat'))!.datasets[0]!.data).toEqual([1, 0, 0, 0, 0]);
      expect(await chart('chart-reasons')).toEqual({
        labels: ['asked for a person'],
        datasets: [{ label: 'Escalations', data: [2] }],
      });
      const intents = await chart('chart-intents');
      expect(sum(intents!.datasets[0]!.data)).toBe(9);
      expect(intents!.labels).toContain('talk to human');
      const flows = await chart('chart-flows');
      const orderStatus = flows!.labels.indexOf('order status');
      expect(flows!.datasets.map((d) => d.data[orderStatus])).toEqual([2, 1, 0]);
      const channels = await chart('chart-channels');
      expect(channels!.labels).toEqual(['web']);
      for (const id of ['chart-rates', 'chart-latency', 'chart-turns-cost']) {
        const drawn = await chart(id);
        expect(drawn!.labels).toHaveLength(14);
        // Today's point is drawn: the day the conversations happened.
        expect(drawn!.datasets[0]!.data.at(-1)).not.toBeNull();
      }

      // Figures people can read.
      await expect(page.locator('[data-tile="Containment"] .value').textContent()).resolves.toBe(
        '66.7%',
      );
      await expect(page.locator('[data-tile="CSAT"] .value').textContent()).resolves.toBe(
        '1.00 / 5',
      );
      await expect(page.locator('[data-tile="Latency p50"] .value').textContent()).resolves.toMatch(
        /^\d+ ms$|^\d+\.\d\d s$/,
      );

      const rated = page.locator(`tr[data-conversation="${seen.ratedConversation}"]`);
      await expect(rated.textContent()).resolves.toContain('1 / 5');
      await expect(rated.textContent()).resolves.toContain('I want to talk to a human');
      await expect(page.locator('tr[data-hotspot]').textContent()).resolves.toContain('greet');

      await page.screenshot({
        path: path.join(ARTIFACTS_DIR, 'console-dashboard.png'),
        fullPage: true,
      });

      // The low-rated row opens the conversation's ticket and transcript in the console.
      await rated.getByRole('link', { name: 'Open transcript' }).click();
      await page.waitForURL(new RegExp(`/console#/t/${seen.ratedTicket}$`));
      await page.locator('#messages .msg.user').first().waitFor();
      await expect(page.locator('#messages').textContent()).resolves.toContain(
        'I want to talk to a human',
      );
      expect(refused).toEqual([]);
      await page.close();
    });

    it('sends a visitor without a session to the sign-in page', async () => {
      const page = await browser.newPage();
      await page.goto(`${consoleApp.url}/console/analytics`);
      await page.waitForURL(/\/console$/);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.close();
    });
  });
});
