/**
 * The environment a test run gets from global-setup: its own database and Redis key prefix, so
 * runs never see each other's data.
 */
export type TestEnv = Record<'DATABASE_URL' | 'REDIS_URL' | 'PARLEY_QUEUE_PREFIX', string>;

export function testEnv(): TestEnv {
  const { PARLEY_TEST_DATABASE_URL, PARLEY_TEST_REDIS_URL, PARLEY_TEST_QUEUE_PREFIX } = process.env;
  if (!PARLEY_TEST_DATABASE_URL || !PARLEY_TEST_REDIS_URL || !PARLEY_TEST_QUEUE_PREFIX) {
    throw new Error('integration tests need the jest global setup (run them with npm test)');
  }
  return {
    DATABASE_URL: PARLEY_TEST_DATABASE_URL,
    REDIS_URL: PARLEY_TEST_REDIS_URL,
    PARLEY_QUEUE_PREFIX: PARLEY_TEST_QUEUE_PREFIX,
  };
}

/** A fresh key prefix for one test file, so its queues start empty. */
export function uniquePrefix(label: string): string {
  return `${testEnv().PARLEY_QUEUE_PREFIX}-${label}-${Math.random().toString(36).slice(2, 8)}`;
}
