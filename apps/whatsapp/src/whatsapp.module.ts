import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { channelProviders } from '@parley/channels';
import { QueueName } from '@parley/contracts';
import type { Database } from '@parley/db';
import { CoreModule, DATABASE, METRICS, type Logger } from '@parley/platform';

import { CloudController } from './cloud/cloud.controller';
import { CloudSender } from './cloud/cloud-sender';
import { cloudSettings, type WhatsAppConfig } from './config';
import { WEB_CLIENT } from './tokens';
import { createWebJsClient } from './webjs/webjs-client';
import { QrController } from './webjs/qr.controller';
import { WebJsBridge } from './webjs/webjs-bridge';
import { WebJsSender } from './webjs/webjs-sender';
import type { WhatsAppClient } from './webjs/whatsapp-client';

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
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'whatsapp',
          queues: [QueueName.OutboundWhatsapp],
        }),
      ],
      controllers,
      providers: [
        ...channelProviders(config, logger, {
          inject: [METRICS, { token: WebJsBridge, optional: true }],
          settings: (registry: Registry, bridge?: WebJsBridge) =>
            bridge
              ? {
                  channel: 'whatsapp',
                  sender: new WebJsSender(bridge),
                  // One linked phone: one send at a time, slowly; it may be offline for hours.
                  concurrency: 1,
                  ratePerSecond: config.WHATSAPP_WEBJS_SEND_RATE_PER_SECOND,
                  giveUpAfterMs: 24 * 60 * 60_000,
                }
              : {
                  channel: 'whatsapp',
                  sender: cloudSender(config, logger, registry),
                  concurrency: config.WHATSAPP_OUTBOUND_CONCURRENCY,
                  ratePerSecond: config.WHATSAPP_SEND_RATE_PER_SECOND,
                },
        }),
        {
          provide: WEB_CLIENT,
          inject: [DATABASE],
          useFactory: (db: Database): WhatsAppClient | null =>
            webjs ? (options.webClient ?? createWebJsClient(config, db, logger)) : null,
        },
        ...webProviders,
      ],
    };
  }
}

/** The Cloud API sender, counting the templates it sends outside the 24-hour window. */
function cloudSender(config: WhatsAppConfig, logger: Logger, metrics: Registry): CloudSender {
  const templates = new Counter({
    name: 'parley_whatsapp_templates_total',
    help: 'Templates sent instead of a reply, outside the 24-hour window',
    registers: [metrics],
  });
  return new CloudSender(config, cloudSettings(config), logger, () => templates.inc());
}
