import path from 'node:path';

import { PATHS, REPO_ROOT } from '@parley/config';
import { applyMigrations, createMigration } from '@parley/db';

import type { CliConfig } from '../config';

const paths = {
  schemaPath: PATHS.schema,
  migrationsDir: PATHS.migrations,
  snapshotPath: PATHS.migrationSnapshot,
};

export async function migrate(config: CliConfig): Promise<void> {
  const { applied } = await applyMigrations({
    databaseUrl: config.DATABASE_URL,
    schemaPath: paths.schemaPath,
    migrationsDir: paths.migrationsDir,
    log: (line) => console.log(line),
  });
  console.log(
    applied.length ? `${applied.length} migration(s) applied.` : 'Database is up to date.',
  );
}

export async function newMigration(name: string): Promise<void> {
  const { dir, sql } = await createMigration({ name, ...paths });
  if (!dir) {
    console.log('schema.prisma has not changed since the last migration; nothing to create.');
    return;
  }
  console.log(`created ${path.relative(REPO_ROOT, dir)}/migration.sql:\n\n${sql}`);
}
