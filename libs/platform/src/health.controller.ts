import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import type { Database } from '@parley/db';

import { ShutdownCoordinator } from './shutdown';
import { DATABASE, METRICS, REDIS } from './tokens';

const CHECK_TIMEOUT_MS = 2_000;

@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS) private readonly metrics: Registry,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  /** The process is up (restart it if this fails). */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** The process can do its work: Redis and Postgres answer, and it is not shutting down. */
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply) {
    const [redis, postgres] = await Promise.all([
      check(() => this.redis.ping()),
      check(() => this.db.rows('health.ping', 'SELECT 1', [])),
    ]);
    const ok = redis === 'ok' && postgres === 'ok' && !this.shutdown.isStopping;
    const status = this.shutdown.isStopping ? 'stopping' : ok ? 'ok' : 'unavailable';
    await reply.status(ok ? 200 : 503).send({ status, checks: { redis, postgres } });
  }

  @Get('metrics')
  async scrape(@Res() reply: FastifyReply) {
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.metrics());
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `error: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
