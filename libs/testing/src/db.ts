import path from 'node:path';

import { Client } from 'pg';

import { PATHS } from '@parley/config';
import { AssistantRepository, KnowledgeRepository, createPrisma } from '@parley/db';
import { ingestDirectory } from '@parley/knowledge';

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
  const prisma = createPrisma({ url: testEnv().DATABASE_URL, poolSize: 2 });
  try {
    await new AssistantRepository(prisma).ensure(assistantId, assistantId);
    await ingestDirectory(new KnowledgeRepository(prisma), DEMO_KNOWLEDGE_DIR, { assistantId });
  } finally {
    await prisma.$disconnect();
  }
}
