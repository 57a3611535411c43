import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { PostMessageResponse } from '@parley/contracts';
import { armFor } from '@parley/experiments';
import {
  ARTIFACTS_DIR,
  eventually,
  launchBrowser,
  postMessage,
  query,
  seedDemoKnowledge,
  sleep,
  startApp,
  startFakeOpenAI,
  startSuite,
  type FakeLlmServer,
  type RecordedRequest,
  type RunningApp,
  type Suite,
} from '@parley/testing';

import { hashPassword } from '../src/auth/password';

interface Session {
  cookie: string;
  csrf: string;
}

interface ArmView {
  name: string;
  weight: number;
  overrides: Record<string, unknown>;
}
interface ExperimentView {
  id: string;
  key: string;
  status: string;
  arms: ArmView[];
}
interface ResultsView {
  experiment: ExperimentView;
  arms: {
    arm: string;
    customers: number;
    conversations: number;
    contained: number;
    escalated: number;
    containmentRate: number | null;
    escalationRate: number | null;
    csat: { count: number; mean: number | null };
    averageTurns: number | null;
    latencyP50Ms: number | null;
  }[];
  comparisons: {
    arm: string;
    control: string;
    containment: { pValue: number | null; verdict: string };
    escalation: { pValue: number | null; verdict: string };
    csat: { pValue: number | null; verdict: string };
  }[];
}

type Arm = 'control' | 'bigger';
interface Customer {
  userId: string;
  customerId: string;
  arm: Arm;
}

/** A tenant of its own: other files' orchestrators on this database never see its experiment. */
const ASSISTANT = `exp-${randomUUID().slice(0, 8)}`;
const OTHER_ASSISTANT = `exp-other-${randomUUID().slice(0, 8)}`;
const PASSWORD = 'a long test password';
/** The orchestrator's experiment cache, short here; the production default is 5 s. */
const REFRESH_MS = 200;

const CONTROL_MODEL = 'control-model';
const BIGGER_MODEL = 'bigger-model';
const ARMS = [
  { name: 'control', weight: 1 },
  {
    name: 'bigger',
    weight: 1,
    overrides: {
      model: `openai:${BIGGER_MODEL}`,
      persona: { name: 'Robin' },
      prompt: 'Always end with a friendly sign-off.',
    },
  },
];

/**
 * A unique tag for a customer, in letters: the ids are quoted in the customers' messages, and a
 * UUID's digits now and then read as a phone number, which the guard masks before the model sees it.
 */
const letterTag = () => randomUUID().replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)]!);

/** The customer's last message in a request to the fake model. */
function questionOf(request: RecordedRequest): string | undefined {
  const messages = (request.body.messages ?? []) as { role: string; content?: unknown }[];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  return typeof last?.content === 'string' ? last.content : undefined;
}
const systemOf = (request: RecordedRequest) =>
  ((request.body.messages ?? []) as { role: string; content?: string }[])
    .filter((m) => m.role === 'system')
    .map((m) => m.content ?? '')
    .join('\n');

describe('experiments', () => {
  let suite: Suite;
  let consoleApp: RunningApp;
  let llm: FakeLlmServer;
  const emails: Record<'admin' | 'agent' | 'otherAdmin', string> = {} as never;
  let admin: Session;
  let agent: Session;
  let otherAdmin: Session;

  async function createAgent(role: 'agent' | 'admin', assistantId: string): Promise<string> {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    await query(
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1, $2, $3, $4, $5::"AgentRole", $6)`,
      [randomUUID(), assistantId, email, role, role, await hashPassword(PASSWORD)],
    );
    return email;
  }

  async function signIn(email: string, assistant: string): Promise<Session> {
    const response = await fetch(`${consoleApp.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, assistant }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { csrfToken: string };
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  }

  async function call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    session?: Session,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (session) headers.cookie = session.cookie;
    if (session && method !== 'GET') headers['x-csrf-token'] = session.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${consoleApp.url}/console/api${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** A web customer's message; the reply comes back with the response (the turn has run). */
  async function say(userId: string, text: string, conversationId?: string) {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text,
      ...(conversationId ? { conversationId } : {}),
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** The model the fake server was asked for when the customer sent `text`, and its system prompt. */
  function askedFor(text: string): { model: unknown; system: string } {
    const requests = llm.requests.filter((r) => questionOf(r) === text);
    expect(requests.length).toBeGreaterThan(0);
    return { model: requests.at(-1)!.body.model, system: systemOf(requests.at(-1)!) };
  }

  const customerOf = async (conversationId: string) => {
    const [row] = await query<{ customer_id: string }>(
      'SELECT customer_id FROM conversations WHERE id = $1',
      [conversationId],
    );
    return row!.customer_id;
  };

  /** The customer's open conversation ends, as the idle closer ends it: the next message opens another. */
  const close = (conversationId: string) =>
    query(
      `UPDATE conversations SET status = 'closed', open_key = NULL, closed_at = now() WHERE id = $1`,
      [conversationId],
    );

  /**
   * New web customers, one conversation each, until both arms have two or more (a fair coin per
   * customer: a few suffice); each is served the model, persona and prompt of their arm.
   */
  async function customersInBothArms(experimentId: string) {
    const perArm = { control: 0, bigger: 0 };
    const customers: Customer[] = [];
    for (let i = 0; i < 40 && (perArm.control < 2 || perArm.bigger < 2); i++) {
      const userId = `customer-${letterTag()}`;
      const text = `Tell me something, ${userId}`;
      const reply = await say(userId, text);
      const customerId = await customerOf(reply.conversationId);
      const arm = armFor(experimentId, customerId, ARMS).name as Arm;
      const asked = askedFor(text);
      expect(asked.model).toBe(arm === 'bigger' ? BIGGER_MODEL : CONTROL_MODEL);
      if (arm === 'bigger') {
        expect(asked.system).toContain('You are Robin');
        expect(asked.system).toContain('Always end with a friendly sign-off.');
      } else {
        expect(asked.system).not.toContain('Robin');
        expect(asked.system).not.toContain('friendly sign-off');
      }
      expect(reply.replies.at(-1)!.text).toBe(
        `This answer was written by ${arm === 'bigger' ? BIGGER_MODEL : CONTROL_MODEL}.`,
      );
      perArm[arm] += 1;
      customers.push({ userId, customerId, arm });
    }
    expect(perArm.control).toBeGreaterThanOrEqual(2);
    expect(perArm.bigger).toBeGreaterThanOrEqual(2);
    return { perArm, customers };
  }

  /** The customer's open conversation ends and their next one asks for a person: a ticket. */
  async function escalate(customer: Customer) {
    const [open] = await query<{ id: string }>(
      `SELECT id FROM conversations WHERE customer_id = $1 AND status = 'bot'`,
      [customer.customerId],
    );
    await close(open!.id);
    const handoff = await say(customer.userId, 'I want to talk to a human');
    expect(handoff.status).toBe('handoff');
    await eventually(async () => {
      const [ticket] = await query<{ id: string }>(
        'SELECT id FROM handoff_tickets WHERE conversation_id = $1',
        [handoff.conversationId],
      );
      return ticket?.id;
    });
  }

  /** Long enough for every orchestrator's experiment cache to have been refreshed. */
  const afterRefresh = () => sleep(REFRESH_MS * 3);

  beforeAll(async () => {
    await seedDemoKnowledge(ASSISTANT);
    llm = await startFakeOpenAI();
    // The answer names the model asked for: words only, so the grounding check lets it through.
    llm.respondWith((request) => ({
      kind: 'text',
      text: `This answer was written by ${String(request.body.model)}.`,
    }));
    suite = await startSuite({
      label: 'experiments',
      env: {
        PARLEY_ASSISTANT_ID: ASSISTANT,
        LLM_CHAIN: `openai:${CONTROL_MODEL} -> builtin`,
        OPENAI_BASE_URL: `${llm.url}/v1`,
        OPENAI_API_KEY: 'sk-test-key',
        LLM_ROUTE: 'all',
        LLM_MAX_RETRIES: '0',
        LLM_GROUNDING_CHECK: 'false',
        EXPERIMENTS_REFRESH_MS: String(REFRESH_MS),
      },
    });
    consoleApp = await startApp('console', { ...suite.env, CONSOLE_COOKIE_SECURE: 'false' });
    emails.admin = await createAgent('admin', ASSISTANT);
    emails.agent = await createAgent('agent', ASSISTANT);
    emails.otherAdmin = await createAgent('admin', OTHER_ASSISTANT);
    admin = await signIn(emails.admin, ASSISTANT);
    agent = await signIn(emails.agent, ASSISTANT);
    otherAdmin = await signIn(emails.otherAdmin, OTHER_ASSISTANT);
  });
  afterAll(async () => {
    await consoleApp?.stop();
    await suite?.stop();
    await llm?.close();
  });

  it('refuses callers without a session (401) and agents who are not admins (403)', async () => {
    expect((await call('GET', '/experiments')).status).toBe(401);
    expect((await call('POST', '/experiments', undefined, { key: 'x', arms: ARMS })).status).toBe(
      401,
    );
    const denied = await call<{ error: { code: string } }>('POST', '/experiments', agent, {
      key: 'by-agent',
      arms: ARMS,
    });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const list = await call<{ experiments: ExperimentView[] }>('GET', '/experiments', admin);
    expect(list.body.experiments.map((e) => e.key)).not.toContain('by-agent');
  });

  it('refuses an invalid definition with 400 and says what is wrong', async () => {
    const bad = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/experiments',
      admin,
      {
        key: 'bad',
        arms: [
          { name: 'control', weight: 1 },
          { name: 'control', weight: 0, overrides: { model: 'gpt-4o' } },
        ],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.message).toMatch(/arms\.1\.name/);
    expect(bad.body.error.message).toMatch(/arms\.1\.weight/);
    expect(bad.body.error.message).toMatch(/arms\.1\.overrides\.model/);
  });

  it('serves each customer the model and persona of their arm, keeps the arm, and counts what was driven', async () => {
    // Before the start: this conversation is served as configured and never counts.
    const early = `early-${letterTag()}`;
    const earlyText = `Before the test, ${early}`;
    const before = await say(early, earlyText);
    expect(askedFor(earlyText).model).toBe(CONTROL_MODEL);

    const created = await call<{ experiment: ExperimentView }>('POST', '/experiments', admin, {
      key: 'bigger-model',
      description: 'Does the bigger model contain more?',
      arms: ARMS,
    });
    expect(created.status).toBe(201);
    const experiment = created.body.experiment;
    expect(experiment.status).toBe('draft');
    const duplicate = await call('POST', '/experiments', admin, {
      key: 'bigger-model',
      arms: ARMS,
    });
    expect(duplicate.status).toBe(409);

    // Agents may not start it; admins may, once.
    expect((await call('POST', `/experiments/${experiment.id}/start`, agent)).status).toBe(403);
    const started = await call<{ experiment: ExperimentView }>(
      'POST',
      `/experiments/${experiment.id}/start`,
      admin,
    );
    expect(started).toMatchObject({ status: 200, body: { experiment: { status: 'running' } } });
    expect((await call('POST', `/experiments/${experiment.id}/start`, admin)).status).toBe(409);
    await afterRefresh();

    // The conversation begun before the start keeps the configured model.
    const earlyAgain = `Still before, ${early}`;
    await say(early, earlyAgain, before.conversationId);
    expect(askedFor(earlyAgain).model).toBe(CONTROL_MODEL);

    const { perArm, customers } = await customersInBothArms(experiment.id);
    const expected = { ...perArm };
    const conversations = { ...perArm };

    // A customer keeps their arm in a later conversation, and the assignment is recorded once.
    for (const arm of ['control', 'bigger'] as const) {
      const customer = customers.find((c) => c.arm === arm)!;
      const [open] = await query<{ id: string }>(
        `SELECT id FROM conversations WHERE customer_id = $1 AND status = 'bot'`,
        [customer.customerId],
      );
      await close(open!.id);
      const text = `Back again, ${customer.userId}`;
      const reply = await say(customer.userId, text);
      expect(reply.conversationId).not.toBe(open!.id);
      expect(askedFor(text).model).toBe(arm === 'bigger' ? BIGGER_MODEL : CONTROL_MODEL);
      conversations[arm] += 1;
      const assignments = await query<{ arm: string }>(
        'SELECT arm FROM experiment_assignments WHERE experiment_id = $1 AND customer_id = $2',
        [experiment.id, customer.customerId],
      );
      expect(assignments).toEqual([{ arm }]);
    }

    // The early customer's next conversation is their first in the experiment.
    await close(before.conversationId);
    const earlyCustomer = await customerOf(before.conversationId);
    const earlyArm = armFor(experiment.id, earlyCustomer, ARMS).name as Arm;
    const earlyNew = `After the start, ${early}`;
    await say(early, earlyNew);
    expect(askedFor(earlyNew).model).toBe(earlyArm === 'bigger' ? BIGGER_MODEL : CONTROL_MODEL);
    expected[earlyArm] += 1;
    conversations[earlyArm] += 1;

    // One customer of the bigger arm asks for a person: a hand-over ticket in that arm.
    const escalating = customers.find((c) => c.arm === 'bigger')!;
    await escalate(escalating);
    conversations.bigger += 1;

    // Agents may read the results; they count exactly what was driven here.
    const results = await call<ResultsView>('GET', `/experiments/${experiment.id}/results`, agent);
    expect(results.status).toBe(200);
    const [control, bigger] = results.body.arms;
    expect(control).toMatchObject({
      arm: 'control',
      customers: expected.control,
      conversations: conversations.control,
      contained: conversations.control,
      escalated: 0,
      containmentRate: 1,
    });
    expect(bigger).toMatchObject({
      arm: 'bigger',
      customers: expected.bigger,
      conversations: conversations.bigger,
      contained: conversations.bigger - 1,
      escalated: 1,
    });
    expect(bigger!.escalationRate).toBeCloseTo(1 / conversations.bigger, 10);
    expect(control!.averageTurns).toBe(1);
    expect(control!.latencyP50Ms).not.toBeNull();
    const [comparison, ...more] = results.body.comparisons;
    expect(more).toEqual([]);
    expect(comparison).toMatchObject({
      control: 'control',
      arm: 'bigger',
      containment: { verdict: 'not enough data' },
      escalation: { verdict: 'not enough data' },
      // No ratings given: no test at all.
      csat: { verdict: 'not enough data', pValue: null },
    });
    // The early conversation stayed out of the experiment.
    const [earlyRow] = await query<{ experiment_id: string | null }>(
      'SELECT experiment_id FROM conversations WHERE id = $1',
      [before.conversationId],
    );
    expect(earlyRow!.experiment_id).toBeNull();

    // Another assistant's admin cannot see, read, start or stop it.
    expect((await call('GET', `/experiments/${experiment.id}`, otherAdmin)).status).toBe(404);
    expect((await call('GET', `/experiments/${experiment.id}/results`, otherAdmin)).status).toBe(
      404,
    );
    expect((await call('POST', `/experiments/${experiment.id}/stop`, otherAdmin)).status).toBe(404);
    const theirs = await call<{ experiments: ExperimentView[] }>('GET', '/experiments', otherAdmin);
    expect(theirs.body.experiments).toEqual([]);
    expect((await call('GET', '/experiments/not-a-uuid/results', admin)).status).toBe(404);

    // A second experiment cannot start while this one runs.
    const second = await call<{ experiment: ExperimentView }>('POST', '/experiments', admin, {
      key: 'second',
      arms: ARMS,
    });
    const refused = await call<{ error: { code: string } }>(
      'POST',
      `/experiments/${second.body.experiment.id}/start`,
      admin,
    );
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'experiment_conflict' } },
    });

    // Stopped: new conversations are served as configured again, even in the bigger arm.
    expect((await call('POST', `/experiments/${experiment.id}/stop`, agent)).status).toBe(403);
    const stopped = await call('POST', `/experiments/${experiment.id}/stop`, admin);
    expect(stopped).toMatchObject({ status: 200, body: { experiment: { status: 'stopped' } } });
    await afterRefresh();
    const later = customers.find((c) => c.arm === 'bigger' && c !== escalating)!;
    const [open] = await query<{ id: string }>(
      `SELECT id FROM conversations WHERE customer_id = $1 AND status = 'bot'`,
      [later.customerId],
    );
    if (open) await close(open.id);
    const afterStop = `After the stop, ${later.userId}`;
    const reply = await say(later.userId, afterStop);
    expect(askedFor(afterStop).model).toBe(CONTROL_MODEL);
    const [row] = await query<{ experiment_id: string | null }>(
      'SELECT experiment_id FROM conversations WHERE id = $1',
      [reply.conversationId],
    );
    expect(row!.experiment_id).toBeNull();
  });

  describe('experiments page in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
      // One experiment runs at a time: whatever an earlier test left running is stopped first.
      const { body } = await call<{ experiments: ExperimentView[] }>('GET', '/experiments', admin);
      for (const running of body.experiments.filter((e) => e.status === 'running')) {
        await call('POST', `/experiments/${running.id}/stop`, admin);
      }
      await afterRefresh();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /**
     * A fresh browser, signed in on the console's own form, on the experiments page; `problems`
     * collects CSP refusals, script errors and the page's experiment requests that failed.
     */
    async function openAs(email: string): Promise<{ page: Page; problems: string[] }> {
      const problems: string[] = [];
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('response', (response) => {
        if (response.url().includes('/console/api/experiments') && response.status() >= 400)
          problems.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${consoleApp.url}/console`);
      await page.getByPlaceholder('Email').fill(email);
      await page.getByPlaceholder('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Experiments' }).click();
      await page.waitForURL(/\/console\/experiments$/);
      await page.getByRole('heading', { name: 'Experiments' }).waitFor();
      return { page, problems };
    }

    /** The text of each body row's cells in the page's `index`th table. */
    const rowsOf = async (page: Page, index: number) => {
      const rows = await page.locator('table').nth(index).locator('tbody tr').all();
      return Promise.all(rows.map((row) => row.locator('td').allTextContents()));
    };
    const fourPlaces = (p: number | null) => (p === null ? '—' : p.toFixed(4));
    const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;

    it('lets an admin create and start an experiment, then shows each arm as the API counts it', async () => {
      const { page, problems } = await openAs(emails.admin);

      // Created through the page's form: a draft, listed with its arms.
      await page.getByPlaceholder('key, e.g. model-gpt-4o').fill('from-the-page');
      await page.getByPlaceholder('What it tests').fill('Made in the browser');
      await page.locator('textarea[name="arms"]').fill(JSON.stringify(ARMS));
      await page.getByRole('button', { name: 'Create draft' }).click();
      const experiment = await eventually(async () => {
        const res = await call<{ experiments: ExperimentView[] }>('GET', '/experiments', admin);
        return res.body.experiments.find((e) => e.key === 'from-the-page');
      });
      expect(experiment).toMatchObject({
        status: 'draft',
        arms: [{ name: 'control' }, { name: 'bigger' }],
      });
      const row = page.locator(`tr[data-experiment="${experiment.id}"]`);
      await row.waitFor();
      await expect(row.locator('td').nth(0).textContent()).resolves.toBe(
        'from-the-page — Made in the browser',
      );
      await expect(row.locator('td').nth(1).textContent()).resolves.toBe('draft');
      await expect(row.locator('td').nth(2).textContent()).resolves.toBe(
        'control ×1 (as configured) · bigger ×1 (model openai:bigger-model; persona name; prompt)',
      );

      // Started from the page.
      await row.getByRole('button', { name: 'Start' }).click();
      await row.getByRole('button', { name: 'Stop' }).waitFor();
      await expect(row.locator('td').nth(1).textContent()).resolves.toBe('running');
      const started = await call<{ experiment: ExperimentView }>(
        'GET',
        `/experiments/${experiment.id}`,
        admin,
      );
      expect(started.body.experiment.status).toBe('running');
      await afterRefresh();

      // Customers chat; one of the bigger arm then asks for a person.
      const { perArm, customers } = await customersInBothArms(experiment.id);
      await escalate(customers.find((c) => c.arm === 'bigger')!);
      const conversations = { control: perArm.control, bigger: perArm.bigger + 1 };

      const api = await call<ResultsView>('GET', `/experiments/${experiment.id}/results`, admin);
      expect(api.body.arms).toMatchObject([
        { arm: 'control', customers: perArm.control, conversations: conversations.control },
        { arm: 'bigger', customers: perArm.bigger, conversations: conversations.bigger },
      ]);

      // The results page shows the same figures.
      await row.getByRole('link', { name: 'Results' }).click();
      await page.waitForURL(new RegExp(`#/x/${experiment.id}$`));
      await page.getByRole('heading', { name: 'from-the-page (running)' }).waitFor();
      const arms = await rowsOf(page, 0);
      expect(arms.map((cells) => cells.slice(0, 6))).toEqual([
        [
          'control (control)',
          'as configured',
          String(perArm.control),
          String(conversations.control),
          '100.0%',
          '0.0%',
        ],
        [
          'bigger',
          'model openai:bigger-model; persona name; prompt',
          String(perArm.bigger),
          String(conversations.bigger),
          percent(conversations.bigger - 1, conversations.bigger),
          percent(1, conversations.bigger),
        ],
      ]);
      // No ratings: no CSAT; one customer message per conversation.
      expect(arms.map((cells) => cells[6])).toEqual(['— (0)', '— (0)']);
      expect(arms[0]![7]).toBe('1.0');
      expect(arms[0]![9]).toMatch(/^\d+ ms$/);
      const [comparison] = api.body.comparisons;
      expect(await rowsOf(page, 1)).toEqual([
        [
          'bigger',
          fourPlaces(comparison!.containment.pValue),
          comparison!.containment.verdict,
          fourPlaces(comparison!.escalation.pValue),
          comparison!.escalation.verdict,
          '—',
          comparison!.csat.verdict,
        ],
      ]);
      expect(comparison!.containment.verdict).toBe('not enough data');
      await expect(page.locator('main').textContent()).resolves.toContain(
        'Below 30 conversations (15 ratings) per arm the verdict is "not enough data".',
      );

      await page.screenshot({
        path: path.join(ARTIFACTS_DIR, 'console-experiments.png'),
        fullPage: true,
      });

      // Back on the list, the admin stops it: no more controls for a stopped experiment.
      await page.getByRole('link', { name: '← Experiments' }).click();
      await row.getByRole('button', { name: 'Stop' }).click();
      await row.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached' });
      await expect(row.locator('td').nth(1).textContent()).resolves.toBe('stopped');
      await expect(row.locator('button').count()).resolves.toBe(0);
      await afterRefresh();
      expect(problems).toEqual([]);
      await page.close();
    });

    it('shows an agent who is not an admin the experiments and results, but no controls', async () => {
      const { page, problems } = await openAs(emails.agent);
      const rows = page.locator('tr[data-experiment]');
      await rows.first().waitFor();
      expect(await rows.count()).toBeGreaterThan(0);
      await expect(page.locator('form').count()).resolves.toBe(0);
      await expect(page.locator('textarea, input').count()).resolves.toBe(0);
      await expect(page.locator('button[data-action]').count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Create draft' }).count()).resolves.toBe(0);

      await rows.first().getByRole('link', { name: 'Results' }).click();
      await page.locator('table tbody tr').first().waitFor();
      await expect(page.locator('button').count()).resolves.toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
