import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PATHS } from '@parley/config';
import { startApp, testEnv } from '@parley/testing';

/** What the demo assistant's tools need to start; nothing is called in these tests. */
const TOOL_ENV = { SHOP_API_URL: 'http://127.0.0.1:9', SHOP_API_TOKEN: 'unused' };

describe('service start-up', () => {
  it.each(['orchestrator', 'web', 'tools'] as const)(
    '%s refuses to start when Postgres is unreachable, naming DATABASE_URL',
    async (name) => {
      const app = await startApp(
        name,
        { ...testEnv(), ...TOOL_ENV, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/parley' },
        { waitReady: false },
      );
      const { code } = await app.exited;
      expect(code).toBe(1);
      expect(app.output()).toMatch(
        /Cannot reach PostgreSQL at DATABASE_URL=postgresql:\/\/postgres@127\.0\.0\.1:1\/parley/,
      );
      expect(app.output()).toMatch(/ECONNREFUSED/);
    },
  );

  it('refuses to start when Redis is unreachable, naming REDIS_URL', async () => {
    const app = await startApp(
      'orchestrator',
      { ...testEnv(), ...TOOL_ENV, REDIS_URL: 'redis://127.0.0.1:1' },
      { waitReady: false },
    );
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toMatch(/Cannot reach Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:1/);
  });

  it('names every invalid setting and never prints a password', async () => {
    const app = await startApp(
      'web',
      { ...testEnv(), DATABASE_URL: 'mysql://root:s3cret@db/x', WEB_WAIT_TIMEOUT_MS: 'soon' },
      { waitReady: false },
    );
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(app.output()).toMatch(/WEB_WAIT_TIMEOUT_MS/);
    expect(app.output()).not.toContain('s3cret');
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const app = await startApp('orchestrator', { ...testEnv(), ...TOOL_ENV, LOG_LEVEL: 'info' });
    const { code } = await (async () => {
      app.child.kill('SIGTERM');
      return app.exited;
    })();
    expect(code).toBe(0);
    expect(app.output()).toMatch(/orchestrator stopped/);
  });

  it('refuses to start the tools app without the settings the assistant’s tools need, naming them', async () => {
    const app = await startApp('tools', testEnv(), { waitReady: false });
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toMatch(/SHOP_API_URL: required by the assistant's tools/);
    expect(app.output()).toMatch(/SHOP_API_TOKEN: required by the assistant's tools/);
  });

  it('refuses to start with a broken assistant folder, naming the file and line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-assistant-'));
    try {
      await cp(PATHS.demoAssistant, dir, { recursive: true });
      const flow = path.join(dir, 'flows/order_status.yaml');
      const yaml = await readFile(flow, 'utf8');
      await writeFile(flow, yaml.replace('entity: order_id', 'entity: order_number'));
      const line = yaml.split('\n').findIndex((l) => l.includes('entity: order_id')) + 1;
      const app = await startApp(
        'orchestrator',
        { ...testEnv(), ...TOOL_ENV, PARLEY_ASSISTANT_DIR: dir },
        { waitReady: false },
      );
      const { code } = await app.exited;
      expect(code).toBe(1);
      expect(app.output()).toContain(`flows/order_status.yaml:${line}:`);
      expect(app.output()).toMatch(/unknown entity \\?"order_number\\?"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
