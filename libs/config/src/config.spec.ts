import { z } from 'zod';

import { ConfigError, describeConfig, loadConfig, redactUrl } from './config';
import { baseConfigSchema } from './shared';

describe('loadConfig', () => {
  it('applies defaults that work on a local machine', () => {
    const config = loadConfig(baseConfigSchema, {});
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/parley');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PARLEY_QUEUE_PREFIX).toBe('parley');
  });

  it('names every bad variable in one error', () => {
    const error = captureError(() =>
      loadConfig(baseConfigSchema, { DATABASE_URL: 'mysql://x', DATABASE_POOL_SIZE: 'many' }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('DATABASE_URL: must be a postgresql:// URL');
    expect(error.message).toContain('DATABASE_POOL_SIZE');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(baseConfigSchema, { LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });
});

describe('describeConfig', () => {
  it('never prints secrets or URL passwords', () => {
    const schema = baseConfigSchema.extend({ PLAIN: z.string() });
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgresql://app:hunter2@db:5432/parley',
      PLAIN: 'postgresql://app:hunter2@db/x',
    });
    const printed = JSON.stringify(describeConfig(schema, config));
    expect(printed).not.toContain('hunter2');
    expect(describeConfig(schema, config).DATABASE_URL).toBe('***');
  });

  it('redacts credentials in URLs', () => {
    expect(redactUrl('redis://:pw@host:6379')).toBe('redis://:***@host:6379');
    expect(redactUrl('plain text')).toBe('plain text');
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
