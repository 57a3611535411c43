import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PATHS, REPO_ROOT } from '@parley/config';
import { seedDemoKnowledge, startSuite, type Suite } from '@parley/testing';

const TOKEN = 'eval-admin-token-0123456789abcdef';
const CLI = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');

function parley(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Report {
  conversations: number;
  passed: number;
  results: { name: string; passed: boolean; turns: { say: string; failures: string[] }[] }[];
}

describe('parley eval', () => {
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'eval', env: { PARLEY_ADMIN_TOKEN: TOKEN } });
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
      const { code, stdout } = await parley([
        'eval',
        dir,
        '--url',
        suite.web.url,
        '--admin-token',
        TOKEN,
      ]);
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
