import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type Provider,
  type Type,
  Optional,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';

import { ChannelIntake, startChannelDelivery, type ChannelSender } from '@parley/channels';
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

import { CloudController } from './cloud/cloud.controller';
import { CloudSender } from './cloud/cloud-sender';
import { cloudSettings, type WhatsAppConfig } from './config';
import { DELIVERIES, INTAKE, WEB_CLIENT } from './tokens';
import { createWebJsClient } from './webjs/webjs-client';
import { QrController } from './webjs/qr.controller';
import { WebJsBridge } from './webjs/webjs-bridge';
import { WebJsSender } from './webjs/webjs-sender';
import type { WhatsAppClient } from './webjs/whatsapp-client';

/** Sends the outbound.whatsapp queue's replies through the mode's sender, at the number's rate. */
@Injectable()
class WhatsAppDeliveryWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: WhatsAppConfig,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_BLOCKING) private readonly connection: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
    @Optional() private readonly bridge?: WebJsBridge,
  ) {}

  onApplicationBootstrap(): void {
    const cloud = !this.bridge;
    const worker = startChannelDelivery({
      channel: 'whatsapp',
      sender: this.sender(),
      deliveries: this.deliveries,
      redis: this.redis,
      connection: this.connection,
      prefix: this.config.PARLEY_QUEUE_PREFIX,
      concurrency: cloud ? this.config.WHATSAPP_OUTBOUND_CONCURRENCY : 1,
      ratePerSecond: cloud
        ? this.config.WHATSAPP_SEND_RATE_PER_SECOND
        : this.config.WHATSAPP_WEBJS_SEND_RATE_PER_SECOND,
      // A linked phone may be offline for hours; its replies wait that long.
      ...(cloud ? {} : { giveUpAfterMs: 24 * 60 * 60_000 }),
      logger: this.logger,
      metrics: this.metrics,
    });
    this.shutdown.register('work', () => worker.close());
  }

  private sender(): ChannelSender {
    if (this.bridge) return new WebJsSender(this.bridge);
    const templates = new Counter({
      name: 'parley_whatsapp_templates_total',
      help: 'Templates sent instead of a reply, outside the 24-hour window',
      registers: [this.metrics],
    });
    return new CloudSender(this.config, cloudSettings(this.config), this.logger, () =>
      templates.inc(),
    );
  }
}

export interface WhatsAppModuleOptions {
  /** webjs mode: the client to drive (tests pass a fake); unset, whatsapp-web.js with Chromium. */
  webClient?: WhatsAppClient;
}

@Module({})
export class WhatsAppModule {
  static forRoot(
    config: WhatsAppConfig,
    logger: Logger,
    metrics: Registry,
    options: WhatsAppModuleOptions = {},
  ): DynamicModule {
    const webjs = config.WHATSAPP_MODE === 'webjs';
    const controllers: Type[] = webjs ? [QrController] : [CloudController];
    const webProviders: Provider[] = webjs ? [WebJsBridge] : [];
    return {
      module: WhatsAppModule,
      imports: [CoreModule.forRoot({ config, logger, metrics, service: 'whatsapp' })],
      controllers,
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
        {
          provide: WEB_CLIENT,
          inject: [DATABASE],
          useFactory: (db: Database): WhatsAppClient | null =>
            webjs ? (options.webClient ?? createWebJsClient(config, db, logger)) : null,
        },
        ...webProviders,
        WhatsAppDeliveryWorker,
      ],
    };
  }
}
