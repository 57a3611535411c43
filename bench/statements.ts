/**
 * `npm run bench:statements`: what each Postgres statement of a turn costs, alone. One connection
 * runs a phase of one statement for every bench customer (2,000 by default), then the next, the
 * way the services send them (the repositories' own named statements): the intake of a message
 * (web), the pending messages with the turn's context, the knowledge search and the turn's
 * commit (orchestrator), and the reply's sent mark (web). Per statement it reports the CPU time
 * the connection's backend spent (from /proc: the statement's whole cost to Postgres, parsing to
 * commit), this process's own (the pg client's share of a service's cost) and the wall time, the
 * median of `BENCH_ROUNDS` rounds, beside `SELECT 1` measured the same way.
 *
 * Runs on a fresh `parley_bench_statements` database; the end-to-end bench (./run) tells how the
 * statements add up under load, this tells which statement to work on.
 */
import { randomUUID } from 'node:crypto';

import {
  Database,
  InboxRepository,
  KnowledgeRepository,
  OutboxRepository,
  TurnRepository,
  type PendingMessage,
} from '@parley/db';

import { processCpuMs } from './cpu';
import { QUESTIONS, prepareBenchDatabase } from './database';
import { round } from './stats';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** As the orchestrator's turn runner asks (apps/orchestrator/src/turns/turn-runner.ts). */
const HISTORY_WINDOW = 12;
/** Calls made at once: above 1, statements that batch (see Batcher) are measured batched. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const ASSISTANT = 'demo';

interface Cost {
  postgres: number;
  client: number;
  wall: number;
}

/** One phase: `run` for every customer in turn, the costs divided by their number. */
async function phase(backend: number, count: number, run: (i: number) => Promise<unknown>) {
  const before = { pg: processCpuMs(backend)!, own: process.cpuUsage(), at: performance.now() };
  for (let i = 0; i < count; i += CONCURRENCY) {
    const calls = [];
    for (let j = i; j < Math.min(i + CONCURRENCY, count); j += 1) calls.push(run(j));
    await Promise.all(calls);
  }
  const wall = performance.now() - before.at;
  const own = process.cpuUsage(before.own);
  return {
    postgres: (processCpuMs(backend)! - before.pg) / count,
    client: (own.user + own.system) / 1000 / count,
    wall: wall / count,
  };
}

/**
 * A turn's statements for every customer, as one round; returns each statement's cost. Round
 * `number` asks each customer the question after the one of the round before.
 */
async function turnRound(
  db: Database,
  backend: number,
  number: number,
): Promise<Record<string, Cost>> {
  const inbox = new InboxRepository(db);
  const turns = new TurnRepository(db);
  const knowledge = new KnowledgeRepository(db);
  const outbox = new OutboxRepository(db);
  const question = (i: number) => QUESTIONS[(i + number) % QUESTIONS.length]!;
  const conversations: string[] = [];
  const pending: PendingMessage[] = [];
  const replies: string[] = [];
  const costs: Record<string, Cost> = {};

  costs['SELECT 1 (reference)'] = await phase(backend, CUSTOMERS, () =>
    db.rows('bench.select-1', 'SELECT 1', []),
  );
  costs['intake (web)'] = await phase(backend, CUSTOMERS, async (i) => {
    const result = await inbox.accept({
      assistantId: ASSISTANT,
      channel: 'web',
      externalUserId: `statements-${i}`,
      text: question(i),
      providerMessageId: randomUUID(),
    });
    if (result.kind !== 'accepted') throw new Error(`intake: ${result.kind}`);
    conversations[i] = result.conversationId;
  });
  costs['pending messages + context'] = await phase(backend, CUSTOMERS, async (i) => {
    const next = await turns.nextTurns(ASSISTANT, conversations[i]!, HISTORY_WINDOW);
    if (next.messages.length !== 1 || !next.context) throw new Error('next: no pending turn');
    pending[i] = next.messages[0]!;
  });
  costs['knowledge search'] = await phase(backend, CUSTOMERS, (i) =>
    knowledge.search(ASSISTANT, question(i), 'english', 1),
  );
  costs['commit'] = await phase(backend, CUSTOMERS, async (i) => {
    const started = new Date();
    const result = await turns.commitTurn({
      message: pending[i]!,
      replies: [{ text: `An answer to: ${question(i)}` }],
      engine: 'knowledge',
      intent: 'knowledge',
      confidence: 0.8,
      timings: { context: 1, respond: 1 },
      latencyMs: 2,
      startedAt: started,
    });
    if (result.kind !== 'committed') throw new Error('commit: already done');
    replies[i] = result.replies[0]!.id;
  });
  costs['sent mark (web)'] = await phase(backend, CUSTOMERS, async (i) => {
    const marked = await outbox.markSent(ASSISTANT, [replies[i]!]);
    if (marked.length !== 1) throw new Error('sent mark: not queued');
  });
  return costs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const url = await prepareBenchDatabase('parley_bench_statements');
  const db = new Database({ url, poolSize: 1 });
  const [backend] = await db.rows<{ pid: number }>(
    'bench.backend',
    'SELECT pg_backend_pid() AS pid',
    [],
  );
  const pid = backend!.pid;
  if (processCpuMs(pid) === null) throw new Error('the Postgres backend is not on this machine');

  // Two warm-up rounds: identities, conversations with history, prepared statements; then the
  // statistics autovacuum would have taken on a live database.
  for (let r = 0; r < 2; r += 1) await turnRound(db, pid, r);
  await db.rows('bench.analyze', 'ANALYZE', []);

  const rounds: Record<string, Cost>[] = [];
  for (let r = 0; r < ROUNDS; r += 1) rounds.push(await turnRound(db, pid, r + 2));
  await db.close();

  const names = Object.keys(rounds[0]!);
  const rows = names.map((name) => {
    const cost = (key: keyof Cost) => round(median(rounds.map((costs) => costs[name]![key])), 3);
    return { name, postgres: cost('postgres'), client: cost('client'), wall: cost('wall') };
  });
  const turn = rows.filter((row) => !row.name.includes('reference'));
  const total = (key: 'postgres' | 'client' | 'wall') =>
    round(
      turn.reduce((sum, row) => sum + row[key], 0),
      3,
    );
  console.log(
    `Parley statement bench — ${new Date().toISOString()} — one connection, ${CUSTOMERS} customers, ${CONCURRENCY} call(s) at once, median of ${ROUNDS} rounds\n`,
  );
  console.log('| statement | Postgres CPU ms | client CPU ms | wall ms |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.postgres} | ${row.client} | ${row.wall} |`);
  }
  console.log(`| **a turn** | ${total('postgres')} | ${total('client')} | ${total('wall')} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
