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

import type { SmsConfig } from './config';
import { InboundLimiter } from './inbound-limiter';
import { SmsController } from './sms.controller';
import { DELIVERIES, INTAKE } from './tokens';
import { TwilioSender } from './twilio-sender';

/** Sends the outbound.sms queue's replies through Twilio, one reply at a time, at the number's rate. */
@Injectable()
class SmsDeliveryWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: SmsConfig,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    const worker = startChannelDelivery({
      channel: 'sms',
      sender: new TwilioSender(this.config),
      deliveries: this.deliveries,
      redis: this.redis,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: this.config.SMS_OUTBOUND_CONCURRENCY,
      ratePerSecond: this.config.SMS_SEND_RATE_PER_SECOND,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.shutdown.register('work', () => worker.close());
  }
}

@Module({})
export class SmsModule {
  static forRoot(config: SmsConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: SmsModule,
      imports: [CoreModule.forRoot({ config, logger, metrics, service: 'sms' })],
      controllers: [SmsController],
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
        InboundLimiter,
        SmsDeliveryWorker,
      ],
    };
  }
}
