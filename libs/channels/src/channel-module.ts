import type { InjectionToken, OptionalFactoryDependency, Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import type { BaseConfig } from '@parley/config';
import { DeliveryRepository, InboxRepository, type Database } from '@parley/db';
import { PiiIntake } from '@parley/guard';
import {
  DATABASE,
  METRICS,
  PRODUCER,
  REDIS,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import { startChannelDelivery, type ChannelDeliveryOptions } from './delivery';
import { ChannelIntake } from './intake';

/** The ChannelIntake of a channel app. */
export const INTAKE = Symbol('INTAKE');
/** The DeliveryRepository of a channel app. */
export const DELIVERIES = Symbol('DELIVERIES');
/** The outbound worker of a channel app, started with it and closed on shutdown. */
export const DELIVERY_WORKER = Symbol('DELIVERY_WORKER');

/** The settings of intakeConfigShape (@parley/config) that the intake reads. */
interface IntakeSettings {
  PARLEY_VAULT_PUBLIC_KEY?: string | undefined;
  PII_PHONE_REGIONS: string[];
}

/** What only the channel knows about its outbound worker. */
export type DeliverySettings = Pick<
  ChannelDeliveryOptions,
  'channel' | 'sender' | 'concurrency' | 'ratePerSecond' | 'giveUpAfterMs'
>;

export interface ChannelDelivery<Deps extends unknown[]> {
  /** Providers the settings need (e.g. a client), resolved by Nest and passed in order. */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  settings: (...deps: Deps) => DeliverySettings;
}

/**
 * The providers every channel app has besides its controllers: the intake (PII masked with the
 * vault's public key, the inbox, the inbound queue), the delivery repository, and the outbound
 * worker of its `outbound.<channel>` queue.
 */
export function channelProviders<Deps extends unknown[]>(
  config: BaseConfig & IntakeSettings,
  logger: Logger,
  delivery: ChannelDelivery<Deps>,
): Provider[] {
  return [
    {
      provide: INTAKE,
      inject: [DATABASE, PRODUCER],
      useFactory: (db: Database, producer: QueueProducer) => {
        if (!config.PARLEY_VAULT_PUBLIC_KEY) {
          logger.warn(
            'PARLEY_VAULT_PUBLIC_KEY is not set: PII is masked and its originals dropped',
          );
        }
        const pii = new PiiIntake({
          vaultPublicKey: config.PARLEY_VAULT_PUBLIC_KEY,
          phoneRegions: config.PII_PHONE_REGIONS,
        });
        return new ChannelIntake(new InboxRepository(db), pii, producer, logger);
      },
    },
    {
      provide: DELIVERIES,
      inject: [DATABASE],
      useFactory: (db: Database) => new DeliveryRepository(db),
    },
    {
      provide: DELIVERY_WORKER,
      inject: [
        DELIVERIES,
        REDIS,
        REDIS_BLOCKING,
        METRICS,
        ShutdownCoordinator,
        ...(delivery.inject ?? []),
      ],
      useFactory: (
        deliveries: DeliveryRepository,
        redis: Redis,
        connection: Redis,
        metrics: Registry,
        shutdown: ShutdownCoordinator,
        ...deps: Deps
      ) => {
        const worker = startChannelDelivery({
          ...delivery.settings(...deps),
          deliveries,
          redis,
          connection,
          prefix: config.PARLEY_QUEUE_PREFIX,
          logger,
          metrics,
        });
        shutdown.register('work', () => worker.close());
        return worker;
      },
    },
  ];
}
