import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

import { summarize, type LatencySummary } from './stats';

export interface BaselineResult {
  saturatedMsgPerSec: number;
  paced: { rate: number; achieved: number; latency: LatencySummary }[];
}

/**
 * Bare BullMQ with the hops a Parley turn takes (inbound → worker → outbound → worker), no
 * application code: the floor Parley's own overhead is measured against, in the same run.
 */
export async function measureBaseline(
  redisUrl: string,
  prefix: string,
  options: { saturatedCount: number; rates: number[]; seconds: number },
): Promise<BaselineResult> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const first = new Queue('hop1', { connection, prefix });
  const second = new Queue('hop2', { connection, prefix });
  const done = new Map<string, (at: number) => void>();
  const opts = { removeOnComplete: true, removeOnFail: true };
  const w1 = new Worker('hop1', (job) => second.add('j', job.data, opts), {
    connection: connection.duplicate(),
    prefix,
    concurrency: 32,
  });
  const w2 = new Worker(
    'hop2',
    (job) => {
      done.get((job.data as { id: string }).id)?.(performance.now());
      return Promise.resolve();
    },
    { connection: connection.duplicate(), prefix, concurrency: 32 },
  );
  await Promise.all([w1.waitUntilReady(), w2.waitUntilReady()]);

  const send = (id: string) =>
    new Promise<number>((resolve) => {
      const start = performance.now();
      done.set(id, (end) => {
        done.delete(id);
        resolve(end - start);
      });
      void first.add('j', { id }, opts);
    });

  // Saturated: jobs added in batches, as the machine notes' baseline did.
  const started = performance.now();
  const all: Promise<number>[] = [];
  for (let i = 0; i < options.saturatedCount; i += 200) {
    const batch = Array.from(
      { length: Math.min(200, options.saturatedCount - i) },
      (_, k) => `s${i + k}`,
    );
    const waits = batch.map(
      (id) =>
        new Promise<number>((resolve) => {
          done.set(id, () => {
            done.delete(id);
            resolve(0);
          });
        }),
    );
    await first.addBulk(batch.map((id) => ({ name: 'j', data: { id }, opts })));
    all.push(...waits);
  }
  await Promise.all(all);
  const saturatedMsgPerSec = Math.round(
    options.saturatedCount / ((performance.now() - started) / 1000),
  );

  const paced = [];
  for (const rate of options.rates) {
    const latencies = await paceOpenLoop(rate, options.seconds, (i) => send(`p${rate}-${i}`));
    paced.push({
      rate,
      achieved: Math.round(latencies.length / options.seconds),
      latency: summarize(latencies),
    });
  }

  await Promise.all([
    w1.close(),
    w2.close(),
    first.obliterate({ force: true }),
    second.obliterate({ force: true }),
  ]);
  await Promise.all([first.close(), second.close()]);
  await connection.quit();
  return { saturatedMsgPerSec, paced };
}

/**
 * Open-loop load: requests start on schedule whether or not earlier ones finished, so a slow
 * system shows up as growing latency instead of a politely lowered rate.
 */
export async function paceOpenLoop(
  rate: number,
  seconds: number,
  request: (i: number) => Promise<number>,
) {
  const total = rate * seconds;
  const tickMs = 5;
  const pending: Promise<number>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) pending.push(request(sent++));
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  return Promise.all(pending);
}
