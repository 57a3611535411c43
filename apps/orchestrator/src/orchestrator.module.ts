import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import { loadAssistant, type AssistantDefinition } from '@parley/assistant';
import { OUTBOUND_QUEUE, QueueName } from '@parley/contracts';
import {
  CustomerRepository,
  DeliveryRepository,
  OutboxRepository,
  TicketRepository,
  TurnRepository,
  type Database,
} from '@parley/db';
import {
  CoreModule,
  DATABASE,
  PRODUCER,
  REDIS,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';
import { JobResults, LeaseManager, queuePrefix, type QueueProducer } from '@parley/queue';

import type { OrchestratorConfig } from './config';
import { createEngine } from './engine/create-engine';
import { TicketOpener } from './handoff/ticket-opener';
import {
  ASSISTANT,
  CUSTOMERS,
  DELIVERIES,
  ENGINE,
  LEASES,
  OUTBOX,
  STREAMS,
  TICKETS,
  TOOLS,
  TURNS,
} from './tokens';
import { QueuedToolExecutor } from './tools/queued-tool-executor';
import { StreamPublisher } from './turns/stream-publisher';
import { TurnRunner } from './turns/turn-runner';
import { InboundWorker } from './workers/inbound.worker';
import { MaintenanceWorker } from './workers/maintenance.worker';

@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'orchestrator',
          queues: [
            QueueName.Inbound,
            QueueName.Tools,
            ...Object.values(OUTBOUND_QUEUE),
            QueueName.Handoff,
            QueueName.Maintenance,
          ],
        }),
      ],
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
          provide: DELIVERIES,
          inject: [DATABASE],
          useFactory: (db: Database) => new DeliveryRepository(db),
        },
        {
          provide: TICKETS,
          inject: [DATABASE],
          useFactory: (db: Database) => new TicketRepository(db),
        },
        {
          provide: ASSISTANT,
          // Loaded once for the engine and the hand-over (policies, entities).
          useFactory: () =>
            config.PARLEY_ENGINE === 'builtin' ? loadAssistant(config.PARLEY_ASSISTANT_DIR) : null,
        },
        {
          provide: TOOLS,
          // QueueEvents blocks on its connection: a duplicate of the blocking-safe one.
          inject: [PRODUCER, REDIS_BLOCKING, ShutdownCoordinator],
          useFactory: (producer: QueueProducer, redis: Redis, shutdown: ShutdownCoordinator) => {
            const results = new JobResults(producer, redis, config.PARLEY_QUEUE_PREFIX);
            shutdown.register('connections', () => results.close());
            return new QueuedToolExecutor(results, config.TOOL_WAIT_MS, logger);
          },
        },
        {
          provide: ENGINE,
          inject: [DATABASE, REDIS, TOOLS, ASSISTANT],
          useFactory: (
            db: Database,
            redis: Redis,
            tools: QueuedToolExecutor,
            definition: AssistantDefinition | null,
          ) => createEngine(config, { db, redis, logger, metrics, tools, definition }),
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
        {
          provide: STREAMS,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new StreamPublisher(redis, config.PARLEY_QUEUE_PREFIX, logger),
        },
        TicketOpener,
        TurnRunner,
        InboundWorker,
        MaintenanceWorker,
      ],
    };
  }
}
