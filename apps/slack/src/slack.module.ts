import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import { ChannelIntake, startChannelDelivery } from '@parley/channels';
import { DeliveryRepository, InboxRepository, type Database } from '@parley/db';
import { PiiIntake } from '@parley/guard';
import {
  CONFIG,
  CoreModule,
  DATABASE,
  LOGGER,
  METRICS,
  PRODUCER,
  REDIS,
  REDIS_BLOCKING,
  ShutdownCoordinator,
  type Logger,
} from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import type { SlackConfig } from './config';
import { ReplayGuard } from './replay-guard';
import { SlackController } from './slack.controller';
import { SlackInbound } from './slack-inbound';
import { SlackSender } from './slack-sender';
import { startSocketMode } from './socket-mode';
import { DELIVERIES, INTAKE } from './tokens';

/** Posts the outbound.slack queue's replies, in order, at most SLACK_SEND_RATE_PER_SECOND per channel. */
@Injectable()
class SlackDeliveryWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: SlackConfig,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const worker = startChannelDelivery({
      channel: 'slack',
      sender: new SlackSender(this.config),
      deliveries: this.deliveries,
      redis: this.redis,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: this.config.SLACK_OUTBOUND_CONCURRENCY,
      ratePerSecond: this.config.SLACK_SEND_RATE_PER_SECOND,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.shutdown.register('work', () => worker.close());
  }
}

/** With SLACK_SOCKET_MODE, opens the WebSocket Slack delivers events down; stops taking on shutdown. */
@Injectable()
class SlackSocketReceiver implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: SlackConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
    private readonly inbound: SlackInbound,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SLACK_SOCKET_MODE) return;
    const socket = await startSocketMode(this.config, this.inbound, this.logger);
    this.shutdown.register('work', () => socket.close());
  }
}

@Module({})
export class SlackModule {
  static forRoot(config: SlackConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: SlackModule,
      imports: [CoreModule.forRoot({ config, logger, metrics, service: 'slack' })],
      controllers: [SlackController],
      providers: [
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
        ReplayGuard,
        SlackInbound,
        SlackDeliveryWorker,
        SlackSocketReceiver,
      ],
    };
  }
}
