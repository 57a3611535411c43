import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Once per `npm test`: a migrated database of this run's own, which each test file copies
 * (file-database.ts), and a Redis key prefix of its own, handed to tests and to the apps they
 * spawn through the environment.
 */
export default function globalSetup(): void {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/parley');
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  base.pathname = `/parley_test_${runId}`;
  const databaseUrl = base.toString();
  // Migrated by the real command (npm test builds first); Jest's global setup cannot use aliases.
  execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), 'db', 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.PARLEY_TEST_DATABASE_URL = databaseUrl;
  process.env.PARLEY_TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.PARLEY_TEST_QUEUE_PREFIX = `parley-test-${runId}`;
}

/**
 * Drops the run's template database and every test file's copy of it (named after it), ending any
 * connection a killed process left behind.
 */
export async function dropDatabases(templateUrl: string): Promise<void> {
  const url = new URL(templateUrl);
  const template = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $1 || '_')`,
      [template],
    );
    // Copies first: the template cannot go while a copy is being made from it.
    for (const { datname } of rows.sort((a, b) => b.datname.length - a.datname.length)) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
