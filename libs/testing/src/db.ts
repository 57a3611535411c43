import { execFile } from 'node:child_process';
import path from 'node:path';

import { Client } from 'pg';

import { PATHS, REPO_ROOT } from '@parley/config';

import { testEnv } from './env';

export const DEMO_KNOWLEDGE_DIR = path.join(PATHS.demoAssistant, 'knowledge');

/** A plain pg client on the run's database, for assertions on what was stored. */
export async function withPg<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testEnv().DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function query<T extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withPg(async (client) => (await client.query<T>(sql, params)).rows);
}

/** Loads the demo assistant's knowledge base (idempotent: unchanged files are skipped). */
export async function seedDemoKnowledge(assistantId = 'demo'): Promise<void> {
  await seedKnowledge(DEMO_KNOWLEDGE_DIR, assistantId);
}

/** Ingests a folder for an assistant the way a user does, with `parley kb ingest`. */
export async function seedKnowledge(dir: string, assistantId: string): Promise<void> {
  const cli = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');
  const args = [cli, 'kb', 'ingest', dir, '--assistant', assistantId, '--no-progress'];
  const env = { ...process.env, ...testEnv() };
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, { env }, (error, _stdout, stderr) =>
      error ? reject(new Error(`parley kb ingest failed: ${stderr}`)) : resolve(),
    );
  });
}
