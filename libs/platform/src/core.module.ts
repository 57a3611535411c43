import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';

import type { BaseConfig } from '@parley/config';
import type { QueueName } from '@parley/contracts';
import { Database, assertDatabaseReachable } from '@parley/db';
import {
  assertRedisReachable,
  createRedis,
  evictionPolicyWarning,
  QueueProducer,
} from '@parley/queue';

import { HealthController } from './health.controller';
import type { Logger } from './logger';
import { registerQueueDepths } from './queue-metrics';
import { ShutdownCoordinator } from './shutdown';
import { CONFIG, DATABASE, LOGGER, METRICS, PRODUCER, REDIS, REDIS_BLOCKING } from './tokens';
import type { Registry } from 'prom-client';

export interface CoreModuleOptions {
  config: BaseConfig;
  logger: Logger;
  metrics: Registry;
  service: string;
  /** Queues this service produces or consumes: their depths are reported on /metrics. */
  queues?: readonly QueueName[];
}

/** Instantiated with the module so the queue-depth gauge is registered before the first scrape. */
const QUEUE_DEPTHS = Symbol('QUEUE_DEPTHS');

/**
 * What every service shares: config, logger, metrics, Postgres, Redis, queue producer, health.
 * Start-up fails with a message naming the setting when Postgres or Redis cannot be reached.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    const { config, logger, service } = options;
    return {
      module: CoreModule,
      controllers: [HealthController],
      providers: [
        ShutdownCoordinator,
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: options.metrics },
        {
          provide: DATABASE,
          inject: [ShutdownCoordinator],
          useFactory: async (shutdown: ShutdownCoordinator): Promise<Database> => {
            await assertDatabaseReachable(config.DATABASE_URL);
            const db = new Database({
              url: config.DATABASE_URL,
              poolSize: config.DATABASE_POOL_SIZE,
            });
            shutdown.register('connections', () => db.close());
            return db;
          },
        },
        {
          provide: REDIS,
          inject: [ShutdownCoordinator],
          useFactory: async (shutdown: ShutdownCoordinator): Promise<Redis> => {
            const redis = createRedis({ url: config.REDIS_URL, name: `${service}` });
            shutdown.register('connections', () => redis.quit());
            await assertRedisReachable(redis, config.REDIS_URL);
            const warning = await evictionPolicyWarning(redis);
            if (warning) logger.warn(warning);
            return redis;
          },
        },
        {
          provide: REDIS_BLOCKING,
          inject: [ShutdownCoordinator],
          useFactory: (shutdown: ShutdownCoordinator): Redis => {
            const redis = createRedis({
              url: config.REDIS_URL,
              name: `${service}:worker`,
              blocking: true,
            });
            shutdown.register('connections', () => redis.quit());
            return redis;
          },
        },
        {
          provide: PRODUCER,
          inject: [REDIS, ShutdownCoordinator],
          useFactory: (redis: Redis, shutdown: ShutdownCoordinator) => {
            const producer = new QueueProducer(redis, config.PARLEY_QUEUE_PREFIX);
            shutdown.register('connections', () => producer.close());
            return producer;
          },
        },
        {
          provide: QUEUE_DEPTHS,
          inject: [PRODUCER],
          useFactory: (producer: QueueProducer) =>
            options.queues?.length
              ? registerQueueDepths(options.metrics, producer, options.queues, logger)
              : null,
        },
      ],
      exports: [
        ShutdownCoordinator,
        CONFIG,
        LOGGER,
        METRICS,
        DATABASE,
        REDIS,
        REDIS_BLOCKING,
        PRODUCER,
      ],
    };
  }
}
