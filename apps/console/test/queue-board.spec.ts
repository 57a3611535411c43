import { randomUUID } from 'node:crypto';

import { Queue, UnrecoverableError, Worker } from 'bullmq';

import { QueueName } from '@parley/contracts';
import { queuePrefix } from '@parley/queue';
import {
  eventually,
  query,
  startApp,
  testEnv,
  uniquePrefix,
  type RunningApp,
} from '@parley/testing';

import { hashPassword } from '../src/auth/password';

const PASSWORD = 'a long test password';
const BOARD = '/console/admin/queues';

/**
 * The queue board (bull-board) on the console: the deployment's admins see every Parley queue and
 * can retry a failed job; everyone else is refused, and actions that would lose or forge messages
 * are refused even to admins.
 */
describe('queue board', () => {
  const prefix = uniquePrefix('queue-board');
  const connection = { url: testEnv().REDIS_URL };
  let consoleApp: RunningApp;
  let sms: Queue;
  const cookies: Record<'admin' | 'agent' | 'otherAdmin', string> = {} as never;

  async function signIn(role: 'agent' | 'admin', assistantId: string): Promise<string> {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    await query(
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1, $2, $3, $4, $5::"AgentRole", $6)`,
      [randomUUID(), assistantId, email, role, role, await hashPassword(PASSWORD)],
    );
    const response = await fetch(`${consoleApp.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, assistant: assistantId }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie')!.split(';')[0]!;
  }

  const board = (path: string, cookie?: string, init: RequestInit = {}) =>
    fetch(`${consoleApp.url}${BOARD}${path}`, {
      ...init,
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    await query(
      `INSERT INTO assistants (id, name) VALUES ('board-other', 'Other') ON CONFLICT DO NOTHING`,
    );
    consoleApp = await startApp('console', {
      ...testEnv(),
      PARLEY_QUEUE_PREFIX: prefix,
      CONSOLE_COOKIE_SECURE: 'false',
    });
    cookies.admin = await signIn('admin', 'demo');
    cookies.agent = await signIn('agent', 'demo');
    cookies.otherAdmin = await signIn('admin', 'board-other');
    sms = new Queue(QueueName.OutboundSms, { connection, prefix: queuePrefix(prefix) });
  });
  afterAll(async () => {
    await sms?.close();
    await consoleApp?.stop();
  });

  it('is refused without a session, to agents and to admins of another assistant', async () => {
    for (const [cookie, status] of [
      [undefined, 401],
      [cookies.agent, 403],
      [cookies.otherAdmin, 403],
    ] as const) {
      for (const path of ['', '/api/queues']) {
        const response = await board(path, cookie);
        expect(response.status).toBe(status);
        const body = (await response.json()) as { error: { code: string } };
        expect(body.error.code).toEqual(expect.any(String));
      }
    }
  });

  it("shows an admin the board's page with its assets, and every Parley queue", async () => {
    const page = await board('', cookies.admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Parley queues');
    // The page's own scripts load from under the board's path, behind the same check.
    const base = /<base href="([^"]+)"/.exec(html)?.[1];
    expect(base).toBe(`${BOARD}/`);
    const script = new URL(/src="([^"]+\.js)"/.exec(html)![1]!, `${consoleApp.url}${base}`);
    expect((await fetch(script)).status).toBe(401);
    expect((await fetch(script, { headers: { cookie: cookies.admin } })).status).toBe(200);

    const list = (await (await board('/api/queues', cookies.admin)).json()) as {
      queues: { name: string }[];
    };
    expect(list.queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
  });

  it('lets an admin retry a failed delivery from the board, and nothing else changes', async () => {
    const job = await sms.add('outbound.message', { marker: randomUUID() });
    // An SMS app that cannot deliver this one: the job fails for good.
    const worker = new Worker(
      QueueName.OutboundSms,
      () => Promise.reject(new UnrecoverableError('carrier said no')),
      { connection, prefix: queuePrefix(prefix) },
    );
    await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
    await worker.close();

    const failed = (await (
      await board(`/api/queues?activeQueue=${QueueName.OutboundSms}&status=failed`, cookies.admin)
    ).json()) as { queues: { name: string; jobs: { id: string; failedReason: string }[] }[] };
    const listed = failed.queues.find((q) => q.name === String(QueueName.OutboundSms))!.jobs;
    expect(listed).toEqual([
      expect.objectContaining({ id: job.id, failedReason: 'carrier said no' }),
    ]);

    const retry = `/api/queues/${QueueName.OutboundSms}/${job.id}/retry`;
    // A request from another site (no Fetch metadata of the board's own) changes nothing.
    expect((await board(retry, cookies.admin, { method: 'PUT' })).status).toBe(403);
    expect(await job.getState()).toBe('failed');
    // Nor does an agent's, from the board's own page.
    const sameOrigin = { method: 'PUT', headers: { 'sec-fetch-site': 'same-origin' } };
    expect((await board(retry, cookies.agent, sameOrigin)).status).toBe(403);
    expect(await job.getState()).toBe('failed');

    expect((await board(retry, cookies.admin, sameOrigin)).status).toBe(204);
    expect(await job.getState()).toBe('waiting');
  });

  it('refuses, even to admins, the actions that would lose or forge messages', async () => {
    const waiting = await sms.add('outbound.message', { marker: randomUUID() });
    const sameOrigin = { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };
    for (const [method, path] of [
      ['PUT', `/api/queues/${QueueName.OutboundSms}/empty`],
      ['PUT', `/api/queues/${QueueName.OutboundSms}/obliterate`],
      ['POST', `/api/queues/${QueueName.OutboundSms}/add`],
      ['PATCH', `/api/queues/${QueueName.OutboundSms}/${waiting.id}/update-data`],
    ] as const) {
      const response = await board(path, cookies.admin, {
        method,
        headers: sameOrigin,
        body: JSON.stringify({ name: 'forged', data: {}, options: {} }),
      });
      expect(response.status).toBe(403);
    }
    expect(await waiting.getState()).toBe('waiting');
    expect((await sms.getJob(waiting.id!))?.data).toEqual(waiting.data);
    expect(await sms.getWaitingCount()).toBeGreaterThanOrEqual(1);
  });
});
