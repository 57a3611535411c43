import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PATHS, REPO_ROOT } from '@parley/config';
import { query, seedDemoKnowledge, startSuite, type Suite } from '@parley/testing';

const TOKEN = 'eval-admin-token-0123456789abcdef';
const IDENTITY_SECRET = 'eval-identity-secret-0123456789abcdef';
const CLI = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');

function parley(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      // Empty counts as unset: the CLI sees an identity secret only where a test gives one.
      { env: { ...process.env, WEB_IDENTITY_SECRET: '', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Report {
  conversations: number;
  passed: number;
  results: {
    name: string;
    customer: 'verified' | 'visitor';
    conversationId?: string;
    passed: boolean;
    turns: { say: string; failures: string[] }[];
  }[];
}

async function withConversationFiles<T>(
  files: Record<string, string>,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-eval-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether the web channel stored the conversation's customer as verified (by userHash). */
async function verifiedCustomer(conversationId: string): Promise<boolean | undefined> {
  const [row] = await query<{ verified: boolean }>(
    `SELECT i.verified FROM conversations c
     JOIN channel_identities i ON i.id = c.channel_identity_id
     WHERE c.id = $1`,
    [conversationId],
  );
  return row?.verified;
}

describe('parley eval', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({
      label: 'eval',
      env: { PARLEY_ADMIN_TOKEN: TOKEN, WEB_IDENTITY_SECRET: IDENTITY_SECRET },
    });
  });

  afterAll(() => suite?.stop());

  it('passes every conversation the demo assistant ships with', async () => {
    const dir = path.join(PATHS.demoAssistant, 'conversations');
    const { code, stdout, stderr } = await parley([
      'eval',
      dir,
      '--url',
      suite.web.url,
      '--admin-token',
      TOKEN,
      '--identity-secret',
      IDENTITY_SECRET,
      '--json',
    ]);
    if (!stdout) throw new Error(`no report (exit ${code}): ${stderr}`);
    const report = JSON.parse(stdout) as Report;
    const failed = report.results
      .filter((r) => !r.passed)
      .map((r) => ({
        name: r.name,
        failures: r.turns.flatMap((t) => t.failures.map((f) => `${t.say}: ${f}`)),
      }));
    expect(failed).toEqual([]);
    expect(report.conversations).toBeGreaterThanOrEqual(40);
    expect(code).toBe(0);
  });

  it('reports a failed expectation with the transcript, and exits 1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-eval-'));
    try {
      await writeFile(
        path.join(dir, 'wrong.yaml'),
        'name: wrong expectation\nturns:\n  - say: hi there\n    expect:\n      reply: /we are closed forever/\n      intent: order_status\n',
      );
      const { code, stdout } = await parley(
        ['eval', dir, '--url', suite.web.url, '--admin-token', TOKEN],
        { WEB_IDENTITY_SECRET: IDENTITY_SECRET },
      );
      expect(code).toBe(1);
      expect(stdout).toMatch(/FAIL wrong expectation/);
      expect(stdout).toMatch(/customer: hi there/);
      expect(stdout).toMatch(/no reply matches \/we are closed forever\//);
      expect(stdout).toMatch(/intent greet, expected order_status/);
      expect(stdout).toMatch(/0\/1 conversations passed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('plays a customer: visitor conversation without userHash and a verified one with it', async () => {
    const files = {
      'visitor.yaml':
        'name: anonymous visitor\ncustomer: visitor\nturns:\n  - say: Do you ship to Canada?\n',
      'verified.yaml': 'name: signed-in customer\nturns:\n  - say: Do you ship to Canada?\n',
    };
    // The secret from the CLI's environment, as `npm start` prints it.
    const { code, stdout, stderr } = await withConversationFiles(files, (dir) =>
      parley(['eval', dir, '--url', suite.web.url, '--json'], {
        WEB_IDENTITY_SECRET: IDENTITY_SECRET,
      }),
    );
    if (!stdout) throw new Error(`no report (exit ${code}): ${stderr}`);
    const report = JSON.parse(stdout) as Report;
    const byName = new Map(report.results.map((r) => [r.name, r]));
    const visitor = byName.get('anonymous visitor');
    const verified = byName.get('signed-in customer');

    expect(code).toBe(0);
    expect([visitor?.customer, verified?.customer]).toEqual(['visitor', 'verified']);
    expect(await verifiedCustomer(visitor?.conversationId ?? '')).toBe(false);
    expect(await verifiedCustomer(verified?.conversationId ?? '')).toBe(true);
  });

  it('runs nothing when a verified conversation has no identity secret, and says how to give one', async () => {
    const files = {
      'visitor.yaml': 'name: visitor\ncustomer: visitor\nturns:\n  - say: hi there\n',
      'verified.yaml': 'name: customer\ncustomer: verified\nturns:\n  - say: hi there\n',
    };
    const before = await evalCustomerCount();
    const { code, stdout, stderr } = await withConversationFiles(files, (dir) =>
      parley(['eval', dir, '--url', suite.web.url]),
    );

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/1 of 2 conversations play a verified customer/);
    expect(stderr).toMatch(/--identity-secret <secret> or set WEB_IDENTITY_SECRET/);
    expect(await evalCustomerCount()).toBe(before);
  });

  it('names the file and field of an invalid conversation file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-eval-'));
    try {
      await writeFile(path.join(dir, 'bad.yaml'), 'name: no turns\nturns: []\n');
      const { code, stderr } = await parley(['eval', dir, '--url', suite.web.url]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/bad\.yaml: turns/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Customers the eval has played so far (their user ids start with eval-). */
async function evalCustomerCount(): Promise<number> {
  const [row] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM channel_identities WHERE channel = 'web' AND external_id LIKE 'eval-%'`,
  );
  return row?.n ?? 0;
}
