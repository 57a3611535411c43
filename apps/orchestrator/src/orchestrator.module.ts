import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import { CustomerRepository, OutboxRepository, TurnRepository, type Database } from '@parley/db';
import { CoreModule, DATABASE, REDIS, type Logger } from '@parley/platform';
import { LeaseManager, queuePrefix } from '@parley/queue';

import type { OrchestratorConfig } from './config';
import { createEngine } from './engine/create-engine';
import { CUSTOMERS, ENGINE, LEASES, OUTBOX, TURNS } from './tokens';
import { TurnRunner } from './turns/turn-runner';
import { InboundWorker } from './workers/inbound.worker';
import { MaintenanceWorker } from './workers/maintenance.worker';

@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [CoreModule.forRoot({ config, logger, metrics, service: 'orchestrator' })],
      providers: [
        {
          provide: TURNS,
          inject: [DATABASE],
          useFactory: (db: Database) => new TurnRepository(db),
        },
        {
          provide: CUSTOMERS,
          inject: [DATABASE],
          useFactory: (db: Database) => new CustomerRepository(db),
        },
        {
          provide: OUTBOX,
          inject: [DATABASE],
          useFactory: (db: Database) => new OutboxRepository(db),
        },
        {
          provide: ENGINE,
          inject: [DATABASE],
          useFactory: (db: Database) => createEngine(config, db, logger),
        },
        {
          provide: LEASES,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new LeaseManager(
              redis,
              queuePrefix(config.PARLEY_QUEUE_PREFIX),
              config.TURN_LEASE_TTL_MS,
            ),
        },
        TurnRunner,
        InboundWorker,
        MaintenanceWorker,
      ],
    };
  }
}
