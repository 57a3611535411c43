import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { QueueName } from '@parley/contracts';
import {
  InboxRepository,
  KnowledgeRepository,
  OutboxRepository,
  TranscriptRepository,
  type Database,
} from '@parley/db';
import { PiiIntake } from '@parley/guard';
import { CoreModule, DATABASE, type Logger } from '@parley/platform';

import { ConversationsAdminController } from './admin/conversations.controller';
import { KnowledgeAdminController } from './admin/knowledge.controller';
import type { WebConfig } from './config';
import { DemoController } from './demo/demo.controller';
import { VisitorsController } from './identity/visitors.controller';
import { WebIdentity } from './identity/web-identity';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { OutboundWebWorker } from './outbound/outbound-web.worker';
import { StreamHub } from './stream/stream-hub';
import { StreamSocketServer } from './stream/stream-socket';
import { INBOX, KNOWLEDGE, OUTBOX, PII_INTAKE, TRANSCRIPTS } from './tokens';
import { OriginPolicy } from './widget/origin-policy';
import { WidgetController } from './widget/widget.controller';

@Module({})
export class WebModule {
  static forRoot(config: WebConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: WebModule,
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'web',
          queues: [QueueName.OutboundWeb],
        }),
      ],
      controllers: [
        MessagesController,
        VisitorsController,
        WidgetController,
        DemoController,
        KnowledgeAdminController,
        ConversationsAdminController,
      ],
      providers: [
        {
          provide: INBOX,
          inject: [DATABASE],
          useFactory: (db: Database) => new InboxRepository(db),
        },
        {
          provide: TRANSCRIPTS,
          inject: [DATABASE],
          useFactory: (db: Database) => new TranscriptRepository(db),
        },
        {
          provide: KNOWLEDGE,
          inject: [DATABASE],
          useFactory: (db: Database) => new KnowledgeRepository(db),
        },
        {
          provide: OUTBOX,
          inject: [DATABASE],
          useFactory: (db: Database) => new OutboxRepository(db),
        },
        {
          provide: PII_INTAKE,
          useFactory: () => {
            if (!config.PARLEY_VAULT_PUBLIC_KEY) {
              logger.warn(
                'PARLEY_VAULT_PUBLIC_KEY is not set: PII is masked and its originals dropped',
              );
            }
            return new PiiIntake({
              vaultPublicKey: config.PARLEY_VAULT_PUBLIC_KEY,
              phoneRegions: config.PII_PHONE_REGIONS,
            });
          },
        },
        WebIdentity,
        OriginPolicy,
        MessagesService,
        StreamHub,
        StreamSocketServer,
        OutboundWebWorker,
      ],
    };
  }
}
