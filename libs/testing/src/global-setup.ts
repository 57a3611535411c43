import path from 'node:path';

import { Client } from 'pg';

// Jest loads global setup without moduleNameMapper, so the @parley/db alias cannot resolve here.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { applyMigrations } from '../../db/src/migrations/migrate';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Once per `npm test`: a database of this run's own (created and migrated) and a Redis key
 * prefix of its own, handed to tests and to the apps they spawn through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/parley');
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  base.pathname = `/parley_test_${runId}`;
  const databaseUrl = base.toString();
  await applyMigrations({
    databaseUrl,
    schemaPath: path.join(ROOT, 'prisma/schema.prisma'),
    migrationsDir: path.join(ROOT, 'prisma/migrations'),
  });
  process.env.PARLEY_TEST_DATABASE_URL = databaseUrl;
  process.env.PARLEY_TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.PARLEY_TEST_QUEUE_PREFIX = `parley-test-${runId}`;
}

/** Drops a test database, ending any connection a killed process left behind. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
