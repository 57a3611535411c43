import { Redis, type RedisOptions } from 'ioredis';

import { redactUrl } from '@parley/config';

export interface RedisConnectionOptions {
  url: string;
  /** Name shown in CLIENT LIST, to tell Parley's connections apart. */
  name: string;
  /** BullMQ workers need null (block forever); request/response clients want fast failure. */
  blocking?: boolean;
}

export function createRedis(options: RedisConnectionOptions): Redis {
  const extra: RedisOptions = options.blocking
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 3, enableOfflineQueue: true };
  return new Redis(options.url, { connectionName: options.name, lazyConnect: false, ...extra });
}

/** Raised at start-up when Redis cannot be reached; names the setting to fix. */
export class RedisUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Cannot reach Redis at REDIS_URL=${redactUrl(url)} ` +
        `(${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Check that Redis is running and REDIS_URL points at it.',
    );
    this.name = 'RedisUnreachableError';
  }
}

export async function assertRedisReachable(redis: Redis, url: string, timeoutMs = 5_000) {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new RedisUnreachableError(url, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * BullMQ loses jobs if Redis evicts keys under memory pressure. Returns a warning to log when the
 * policy is anything but noeviction (INFO works where CONFIG is disabled, as on managed Redis).
 */
export async function evictionPolicyWarning(redis: Redis): Promise<string | null> {
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (!policy || policy === 'noeviction') return null;
  return (
    `Redis maxmemory-policy is "${policy}": queued messages can be evicted and lost. ` +
    'Set maxmemory-policy to noeviction.'
  );
}
