import { Redis } from 'ioredis';

import { dropDatabases } from './global-setup';

/** Leaves nothing behind: the run's databases are dropped and its Redis keys deleted. */
export default async function globalTeardown(): Promise<void> {
  const { PARLEY_TEST_DATABASE_URL, PARLEY_TEST_REDIS_URL, PARLEY_TEST_QUEUE_PREFIX } = process.env;
  if (PARLEY_TEST_DATABASE_URL && !process.env.PARLEY_KEEP_TEST_DB) {
    await dropDatabases(PARLEY_TEST_DATABASE_URL);
  }
  if (PARLEY_TEST_REDIS_URL && PARLEY_TEST_QUEUE_PREFIX) {
    const redis = new Redis(PARLEY_TEST_REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `{${PARLEY_TEST_QUEUE_PREFIX}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
