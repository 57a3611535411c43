import { startApp, testEnv } from '@parley/testing';

describe('service start-up', () => {
  it.each(['orchestrator', 'web'] as const)(
    '%s refuses to start when Postgres is unreachable, naming DATABASE_URL',
    async (name) => {
      const app = await startApp(
        name,
        { ...testEnv(), DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/parley' },
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
      { ...testEnv(), REDIS_URL: 'redis://127.0.0.1:1' },
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
    const app = await startApp('orchestrator', { ...testEnv(), LOG_LEVEL: 'info' });
    const { code } = await (async () => {
      app.child.kill('SIGTERM');
      return app.exited;
    })();
    expect(code).toBe(0);
    expect(app.output()).toMatch(/orchestrator stopped/);
  });
});
