/**
 * The floor of Parley's architecture, with none of Parley's code: what a web message costs on this
 * machine when it only does what the design requires. `node dist/bench/floor-app.js web|worker`,
 * started by ./floor.
 *
 * web:    POST /api/v1/messages → INSERT the message (committed) → job on floor-in → wait for the
 *         reply on Redis pub/sub → 200. Its floor-out worker publishes the reply and marks it sent.
 * worker: floor-in job → one statement marks the message done and inserts the reply → floor-out.
 *
 * Three committed Postgres writes, two BullMQ hops and a pub/sub message per turn, as in Parley;
 * no reads, no engine, no guards, no lease, no tracing or metrics.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

const { DATABASE_URL, REDIS_URL, FLOOR_PREFIX, PORT } = process.env;
const JOB_OPTIONS = { attempts: 3, removeOnComplete: 1_000, removeOnFail: 1_000 };
const CONCURRENCY = 32;
const REPLIES = 'floor:replies';

// Connections stay open through lulls, as in Parley (libs/db), so neither reopens them under load.
const db = new Pool({ connectionString: DATABASE_URL, max: 10, idleTimeoutMillis: 5 * 60_000 });
const redis = () => new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
const prefix = FLOOR_PREFIX!;

interface Reply {
  messageId: string;
  replyId: string;
  text: string;
}

function startWeb(): void {
  const inbound = new Queue('floor-in', { connection: redis(), prefix });
  const publisher = redis();
  const subscriber = redis();
  const waiting = new Map<string, (reply: Reply) => void>();
  void subscriber.subscribe(REPLIES);
  subscriber.on('message', (_channel, payload: string) => {
    const reply = JSON.parse(payload) as Reply;
    waiting.get(reply.messageId)?.(reply);
    waiting.delete(reply.messageId);
  });

  const accept = async (body: { userId: string; text: string }): Promise<Reply> => {
    const messageId = randomUUID();
    await db.query({
      name: 'floor-insert',
      text: `INSERT INTO bench_floor_messages (id, user_id, text, status) VALUES ($1, $2, $3, 'pending')`,
      values: [messageId, body.userId, body.text],
    });
    const reply = new Promise<Reply>((resolve) => waiting.set(messageId, resolve));
    await inbound.add('message', { messageId }, { ...JOB_OPTIONS, jobId: messageId });
    return reply;
  };

  http
    .createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        accept(
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as { userId: string; text: string },
        )
          .then((reply) => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ replies: [{ id: reply.replyId, text: reply.text }] }));
          })
          .catch(() => {
            response.writeHead(500);
            response.end();
          });
      });
    })
    .listen(Number(PORT), '127.0.0.1', () => console.log('ready'));

  new Worker<Reply>(
    'floor-out',
    async (job) => {
      await publisher.publish(REPLIES, JSON.stringify(job.data));
      await db.query({
        name: 'floor-sent',
        text: `UPDATE bench_floor_messages SET status = 'sent' WHERE id = $1`,
        values: [job.data.replyId],
      });
    },
    { connection: redis(), prefix, concurrency: CONCURRENCY },
  );
}

function startWorker(): void {
  const outbound = new Queue('floor-out', { connection: redis(), prefix });
  new Worker<{ messageId: string }>(
    'floor-in',
    async (job) => {
      const reply: Reply = { messageId: job.data.messageId, replyId: randomUUID(), text: 'answer' };
      await db.query({
        name: 'floor-commit',
        text: `WITH done AS (UPDATE bench_floor_messages SET status = 'done' WHERE id = $1)
               INSERT INTO bench_floor_messages (id, user_id, text, status) VALUES ($2, '', $3, 'queued')`,
        values: [reply.messageId, reply.replyId, reply.text],
      });
      await outbound.add('reply', reply, { ...JOB_OPTIONS, jobId: reply.replyId });
    },
    { connection: redis(), prefix, concurrency: CONCURRENCY },
  );
  console.log('ready');
}

// Exit on SIGTERM through process.exit, so a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(0));
if (process.argv[2] === 'web') startWeb();
else startWorker();
