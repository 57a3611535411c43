import { Module, type DynamicModule } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import { OUTBOUND_QUEUE, QueueName } from '@parley/contracts';
import { TicketRepository, WebhookDeliveryRepository, type Database } from '@parley/db';
import { startHandoffNotifier } from '@parley/handoff';
import {
  CoreModule,
  DATABASE,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';

import { AgentsController } from './agents/agents.controller';
import { AnalyticsUiController } from './analytics/analytics-ui.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { FlowCatalog } from './analytics/flow-catalog';
import { AdminBootstrap } from './auth/admin-bootstrap';
import { AuthController } from './auth/auth.controller';
import { LoginLimiter } from './auth/login-limiter';
import { SessionGuard } from './auth/session.guard';
import { Sessions } from './auth/sessions';
import type { ConsoleConfig } from './config';
import { ExperimentsUiController } from './experiments/experiments-ui.controller';
import { ExperimentsController } from './experiments/experiments.controller';
import { SlackClaims } from './slack/slack-claims';
import { SlackInteractivityController } from './slack/slack-interactivity.controller';
import { TicketEventsController } from './tickets/ticket-events.controller';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';
import { UiController } from './ui/ui.controller';

const HANDOFF_NOTIFIER = Symbol('HANDOFF_NOTIFIER');

@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'console',
          // It runs the hand-over notifier and sends agents' replies to every channel.
          queues: [QueueName.Handoff, ...Object.values(OUTBOUND_QUEUE)],
        }),
      ],
      controllers: [
        AuthController,
        TicketsController,
        TicketEventsController,
        AgentsController,
        ExperimentsController,
        ExperimentsUiController,
        UiController,
        SlackInteractivityController,
        AnalyticsController,
        AnalyticsUiController,
      ],
      providers: [
        Sessions,
        SessionGuard,
        LoginLimiter,
        TicketsService,
        SlackClaims,
        AdminBootstrap,
        FlowCatalog,
        {
          // New and escalated tickets, to the support channel in Slack and the help desk.
          provide: HANDOFF_NOTIFIER,
          inject: [DATABASE, REDIS_BLOCKING, ShutdownCoordinator],
          useFactory: (db: Database, connection: Redis, shutdown: ShutdownCoordinator) => {
            const worker = startHandoffNotifier({
              tickets: new TicketRepository(db),
              webhooks: new WebhookDeliveryRepository(db),
              connection,
              prefix: config.PARLEY_QUEUE_PREFIX,
              config,
              logger,
            });
            shutdown.register('work', () => worker.close());
            return worker;
          },
        },
      ],
    };
  }
}
