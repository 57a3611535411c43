/**
 * `npm run bench`: Parley's web → orchestrator → web round trip, measured through the public API
 * beside bare BullMQ with the same hops, in one run on this machine: the skeleton engine, the
 * built-in engine, and the built-in engine with a zero-latency fake model (see ./llm). Starts its
 * own suite on a fresh `parley_bench` database; prints a table and writes
 * bench/results/latest.{json,md}.
 *
 * BENCH_SECONDS (15), BENCH_RATES (200,1000), BENCH_CONNECTIONS (64) and BENCH_WEBHOOK_RATE (500)
 * tune it; BENCH_ONLY=webhooks measures the channel webhooks alone, BENCH_ONLY=floor, skeleton or
 * engine one end-to-end configuration alone (printed, not saved).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { REPO_ROOT } from '@parley/config';

import { startDemoShop } from '@parley/demo-shop';
import { startApp } from '@parley/testing';

import { measureBaseline, paceOpenLoop, type BaselineResult } from './baseline';
import { cpuPerMessage, snapshotCpu } from './cpu';
import { QUESTIONS, prepareBenchDatabase } from './database';
import { startFloor } from './floor';
import {
  LLM_LABEL,
  compareWithEngine,
  comparisonText,
  modelTurnsSince,
  startZeroLatencyModel,
  type ModelComparison,
} from './llm';
import { round, summarize, type Run } from './stats';
import {
  measureWebhookAcks,
  slackWebhook,
  smsWebhook,
  webhookTable,
  whatsappWebhook,
  type WebhookRun,
} from './webhooks';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATES = (process.env.BENCH_RATES ?? '200,1000').split(',').map(Number);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** Webhooks per second each channel app is offered. */
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);
/** Which parts run: webhooks, floor, skeleton or engine alone; unset runs everything. */
const ONLY = process.env.BENCH_ONLY;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const USERS = 2_000;
const FLOOR_LABEL =
  'design floor (no Parley code: HTTP, 3 Postgres writes, 2 BullMQ hops, pub/sub)';
const SKELETON_LABEL = 'skeleton (knowledge-base engine)';
const ENGINE_LABEL = 'engine (demo assistant: guards, NLU, flows, tools)';
/** Keep-alive connections: the load generator shares the two cores, so it must stay cheap. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** A running suite and the prefix of its customers' ids: each configuration has its own. */
interface Target {
  url: string;
  users: string;
}

/** One customer message, waiting for its reply: the latency a customer sees, end to end. */
function turn(target: Target, i: number): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const body = JSON.stringify({
    userId: `${target.users}-${i % USERS}`,
    text: QUESTIONS[i % QUESTIONS.length],
  });
  return new Promise((resolve) => {
    const request = http.request(
      `${target.url}/api/v1/messages`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ ms: performance.now() - started, ok: response.statusCode === 200 }),
        );
      },
    );
    request.on('error', () => resolve({ ms: performance.now() - started, ok: false }));
    request.end(body);
  });
}

async function paced(target: Target, rate: number, offset: number): Promise<Run> {
  let errors = 0;
  const started = performance.now();
  const latencies = await paceOpenLoop(rate, SECONDS, async (i) => {
    const result = await turn(target, offset + i);
    if (!result.ok) errors += 1;
    return result.ms;
  });
  const elapsed = (performance.now() - started) / 1000;
  return {
    name: `paced ${rate}/s`,
    kind: 'paced',
    offered: rate,
    achieved: Math.round(latencies.length / elapsed),
    errors,
    latency: summarize(latencies),
  };
}

/** Closed loop: `connections` customers each send their next message as soon as answered. */
async function closedLoop(target: Target, offset: number, connections: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let next = offset;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const result = await turn(target, next++);
        latencies.push(result.ms);
        if (!result.ok) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    name: connections === 1 ? 'one at a time' : `saturated (${connections} conns)`,
    kind: connections === 1 ? 'serial' : 'saturated',
    offered: null,
    achieved: Math.round((latencies.length - errors) / elapsed),
    errors,
    latency: summarize(latencies),
  };
}

/**
 * A live database has planner statistics: autovacuum analyzes a table once a tenth of it has
 * changed, checking every minute. The bench's database is seconds old, so the warm-up ends with
 * the ANALYZE autovacuum would have run; without statistics, the apps' cached generic plans may
 * find a conversation through an index on assistant_id (every row) instead of its primary key.
 */
async function analyze(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/**
 * Connections opened so far to the bench's database, this one included. Opening one costs
 * Postgres a backend and each hot-path statement a new plan, so a pool that closes and reopens
 * connections under load shows here.
 */
async function sessionsSoFar(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ sessions: string }>(
      'SELECT sessions FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.sessions ?? 0);
  } finally {
    await client.end();
  }
}

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 1);
}

interface EngineRuns {
  engine: string;
  runs: Run[];
  rss: Record<string, number>;
  /** Postgres connections the apps opened while measured (after the warm-up). */
  connectionsOpened: number;
}

function report(
  baseline: BaselineResult,
  engines: EngineRuns[],
  comparison: ModelComparison | null,
  webhooks: WebhookRun[],
): string {
  const lines = [
    `Parley bench — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}, ${SECONDS}s per run`,
    '',
    ...engines.flatMap(({ engine, runs, rss, connectionsOpened }) => [
      `### ${engine}`,
      '',
      ...table(baseline, runs),
      '',
      ...cpuBreakdown(runs),
      `Peak RSS: ${Object.entries(rss)
        .map(([name, mb]) => `${name} ${mb} MB`)
        .join(', ')}  `,
      `Postgres connections opened while measuring: ${connectionsOpened}`,
      '',
    ]),
    ...(comparison ? [...comparisonText(comparison), ''] : []),
    ...(webhooks.length ? [...webhookSection(webhooks), ''] : []),
    ...(engines.length ? END_TO_END : []),
  ];
  return lines.join('\n');
}

function webhookSection(webhooks: WebhookRun[]): string[] {
  return [
    '### Webhook acknowledgement',
    '',
    ...webhookTable(webhooks),
    '',
    'Signed platform webhooks posted open-loop to the channel app alone: signature check, PII',
    'masking, the insert with its dedupe key, the enqueue and the answer; no orchestrator drains',
    'the queue meanwhile, so this is the wait the platform sees (Twilio allows 15 s, Slack 3 s).',
  ];
}

const END_TO_END = [
  'End-to-end = POST /api/v1/messages (wait for the reply) → inbound queue → orchestrator turn',
  '→ outbound.web queue → Redis pub/sub → HTTP response. The skeleton engine answers from the',
  'knowledge base only; the engine runs the demo assistant (guards, intent classification, flows,',
  'tool calls to the demo shop, knowledge). Engine + LLM = the same engine with',
  "`LLM_CHAIN='openai:gpt-4o-mini -> builtin'` and `LLM_ROUTE=all` against a fake OpenAI-compatible",
  "server in the load generator that answers at once: Parley's own cost of a model turn, no model",
  'latency. Each configuration has its own 2,000 customers. Bare BullMQ = two queue hops, no',
  'application code, in the same run on the same Redis. The design floor (bench/floor-app.ts)',
  'serves the same API from two processes doing only what the design requires of a turn, with',
  "none of Parley's code: a committed insert, a queue hop, a committed update and reply insert, a",
  'second hop, pub/sub to the waiting request and a committed sent mark. What Parley costs above',
  'it is its own; what the floor costs is the machine and the design.',
];

/** Where each run's CPU went, per message: what tells two versions of the code apart. */
function cpuBreakdown(runs: Run[]): string[] {
  return runs
    .filter((r) => r.kind !== 'serial' && r.cpu)
    .map((r) => {
      const { total, bench, ...byProcess } = r.cpu!;
      const parts = Object.entries(byProcess).map(([name, ms]) => `${name} ${ms}`);
      const when = r.offered ? `at ${r.offered}/s` : 'saturated';
      return `CPU per message ${when}: ${total} ms (${parts.join(', ')}; the load generator's own ${bench})  `;
    });
}

function table(baseline: BaselineResult, runs: Run[]): string[] {
  const baselineAt = (rate: number) => baseline.paced.find((p) => p.rate === rate);
  return [
    '| run | offered msg/s | achieved msg/s | errors | p50 ms | p95 ms | p99 ms | CPU ms/msg | bare BullMQ p50 / p99 ms | p99 vs bare |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => {
      const bare = r.offered ? baselineAt(r.offered) : undefined;
      // One message at a time is Parley's floor; bare BullMQ has no like-for-like run to set beside it.
      const serial = r.kind === 'serial';
      const bareCell = bare
        ? `${bare.latency.p50} / ${bare.latency.p99}`
        : serial
          ? '—'
          : `${baseline.saturatedMsgPerSec} msg/s saturated`;
      const ratio = bare
        ? `${round(r.latency.p99 / Math.max(bare.latency.p99, 0.01), 1)}×`
        : serial
          ? '—'
          : `${round((r.achieved / baseline.saturatedMsgPerSec) * 100, 1)}% of bare throughput`;
      return `| ${r.name} | ${r.offered ?? '—'} | ${r.achieved} | ${r.errors} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} | ${r.cpu?.total ?? '—'} | ${bareCell} | ${ratio} |`;
    }),
  ];
}

async function main(): Promise<void> {
  console.log('bench: preparing the parley_bench database…');
  const databaseUrl = await prepareBenchDatabase('parley_bench');

  console.log('bench: bare BullMQ baseline (2 hops)…');
  const baseline = await measureBaseline(REDIS_URL, '{parley-bench-baseline}', {
    saturatedCount: 20_000,
    rates: RATES,
    seconds: SECONDS,
  });

  const shopToken = 'bench-shop-token';
  const shop = await startDemoShop({ token: shopToken });
  const model = await startZeroLatencyModel();
  const measure = async (key: string, engine: string, env: Record<string, string> = {}) => {
    console.log(`bench: ${engine}`);
    const suiteEnv = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PARLEY_QUEUE_PREFIX: `parley-bench-${key}`,
      LOG_LEVEL: 'warn',
      PARLEY_ENGINE: key === 'knowledge' ? 'knowledge' : 'builtin',
      SHOP_API_URL: shop.url,
      SHOP_API_TOKEN: shopToken,
      ...env,
    };
    return { engine, ...(await measureSuite(suiteEnv, `bench-${key}`)) };
  };
  const configurations = {
    floor: async () => {
      console.log(`bench: ${FLOOR_LABEL}`);
      const env = { DATABASE_URL: databaseUrl, REDIS_URL };
      return { engine: FLOOR_LABEL, ...(await measureFloor(env, 'bench-floor')) };
    },
    skeleton: () => measure('knowledge', SKELETON_LABEL),
    engine: () => measure('builtin', ENGINE_LABEL),
  };
  let engines: EngineRuns[] = [];
  let comparison: ModelComparison | null = null;
  let webhooks: WebhookRun[];
  try {
    if (ONLY === 'floor' || ONLY === 'skeleton' || ONLY === 'engine') {
      console.log(`\n${report(baseline, [await configurations[ONLY]()], null, [])}\n`);
      return;
    }
    if (ONLY !== 'webhooks') {
      const designFloor = await configurations.floor();
      const skeleton = await configurations.skeleton();
      const builtin = await configurations.engine();
      const since = new Date();
      const withModel = await measure('llm', LLM_LABEL, model.env);
      engines = [designFloor, skeleton, builtin, withModel];
      const turns = await modelTurnsSince(model, databaseUrl, since);
      comparison = compareWithEngine(withModel.runs, builtin.runs, turns);
    }
    webhooks = await measureWebhookAcks(
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        PARLEY_QUEUE_PREFIX: 'parley-bench-webhooks',
        LOG_LEVEL: 'warn',
      },
      [smsWebhook, slackWebhook, whatsappWebhook],
      WEBHOOK_RATE,
      SECONDS,
    );
  } finally {
    await Promise.all([shop.close(), model.close()]);
  }
  const text = report(baseline, engines, comparison, webhooks);
  console.log(`\n${text}\n`);
  // A partial run is printed, not saved over the full results.
  if (ONLY) return;
  const results = path.join(REPO_ROOT, 'bench/results');
  writeFileSync(path.join(results, 'latest.md'), `${text}\n`);
  writeFileSync(
    path.join(results, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, baseline, engines, llm: comparison, webhooks }, null, 2)}\n`,
  );
}

async function measureSuite(
  env: Record<string, string>,
  users: string,
): Promise<Omit<EngineRuns, 'engine'>> {
  const web = await startApp('web', env);
  const orchestrator = await startApp('orchestrator', env);
  // The order-status question's tool call runs in the tools app, as in production.
  const tools = await startApp('tools', env);
  try {
    return await measureTarget({ url: web.url, users }, env.DATABASE_URL!, {
      web: web.child,
      orchestrator: orchestrator.child,
      tools: tools.child,
    });
  } finally {
    await Promise.all([web.stop(), orchestrator.stop(), tools.stop()]);
  }
}

/** The same runs against ./floor-app: the design's own cost on this machine, no Parley code. */
async function measureFloor(
  env: { DATABASE_URL: string; REDIS_URL: string },
  users: string,
): Promise<Omit<EngineRuns, 'engine'>> {
  const floor = await startFloor(env);
  try {
    return await measureTarget({ url: floor.url, users }, env.DATABASE_URL, floor.processes);
  } finally {
    await floor.stop();
  }
}

async function measureTarget(
  target: Target,
  databaseUrl: string,
  processes: Record<string, ChildProcess>,
): Promise<Omit<EngineRuns, 'engine'>> {
  console.log('bench: warming up…');
  await paced(target, 200, 1_000_000);
  await analyze(databaseUrl);
  const sessionsBefore = await sessionsSoFar(databaseUrl);
  const runs: Run[] = [];
  const pids = Object.fromEntries(Object.entries(processes).map(([name, c]) => [name, c.pid]));
  const measured = async (run: () => Promise<Run>) => {
    const before = snapshotCpu(pids);
    const result = await run();
    const perMessage = cpuPerMessage(before, snapshotCpu(pids), result.latency.count);
    const cpu = Object.fromEntries(
      Object.entries(perMessage).map(([name, ms]) => [name, round(ms, 2)]),
    );
    runs.push({ ...result, cpu });
  };
  let offset = 0;
  console.log(`bench: one message at a time for ${SECONDS}s…`);
  await measured(() => closedLoop(target, offset, 1));
  offset += 100_000;
  for (const rate of RATES) {
    console.log(`bench: paced at ${rate} msg/s for ${SECONDS}s…`);
    await measured(() => paced(target, rate, offset));
    offset += rate * SECONDS;
  }
  console.log(`bench: saturated with ${CONNECTIONS} connections for ${SECONDS}s…`);
  await measured(() => closedLoop(target, offset, CONNECTIONS));
  const rss = Object.fromEntries(
    Object.entries(processes).map(([name, child]) => [name, peakRssMb(child)]),
  );
  // Less the probe's own connection.
  const connectionsOpened = (await sessionsSoFar(databaseUrl)) - sessionsBefore - 1;
  return { runs, rss, connectionsOpened };
}

// Exit explicitly: keep-alive sockets and Redis clients of the load generator would hold the loop.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
