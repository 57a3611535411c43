/**
 * The bench's database and questions, shared by the end-to-end bench (./run) and the statement
 * bench (./statements): a fresh database with the demo assistant's knowledge base ingested.
 */
import path from 'node:path';

import { Client } from 'pg';

import { PATHS } from '@parley/config';
import { AssistantRepository, KnowledgeRepository, applyMigrations, Database } from '@parley/db';
import { ingestDirectory } from '@parley/knowledge';

/** What bench customers ask, in turn: knowledge questions, one it cannot answer, an order. */
export const QUESTIONS = [
  'How long does a refund take?',
  'Do you ship to Canada?',
  'How do I reset my password?',
  'What does the Pro plan cost?',
  'Can I return a worn jacket?',
  'What is the meaning of life?',
  'Is express shipping free?',
  'Which payment methods do you accept?',
  'Where is my order ORD-10482?',
];

/**
 * Drops and creates database `name` on DATABASE_URL's server, migrated, with the demo assistant
 * and its knowledge base; returns its URL.
 */
export async function prepareBenchDatabase(name: string): Promise<string> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/parley');
  url.pathname = `/${name}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
  const databaseUrl = url.toString();
  await applyMigrations({
    databaseUrl,
    schemaPath: PATHS.schema,
    migrationsDir: PATHS.migrations,
  });
  const db = new Database({ url: databaseUrl, poolSize: 2 });
  await new AssistantRepository(db).ensure('demo', 'demo');
  await ingestDirectory(new KnowledgeRepository(db), path.join(PATHS.demoAssistant, 'knowledge'), {
    assistantId: 'demo',
  });
  await db.close();
  return databaseUrl;
}
