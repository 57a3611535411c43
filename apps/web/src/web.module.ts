import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { InboxRepository, OutboxRepository, TranscriptRepository, type Database } from '@parley/db';
import { CoreModule, DATABASE, type Logger } from '@parley/platform';

import type { WebConfig } from './config';
import { DemoController } from './demo/demo.controller';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { OutboundWebWorker } from './outbound/outbound-web.worker';
import { StreamHub } from './stream/stream-hub';
import { StreamSocketServer } from './stream/stream-socket';
import { INBOX, OUTBOX, TRANSCRIPTS } from './tokens';

@Module({})
export class WebModule {
  static forRoot(config: WebConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: WebModule,
      imports: [CoreModule.forRoot({ config, logger, metrics, service: 'web' })],
      controllers: [MessagesController, DemoController],
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
          provide: OUTBOX,
          inject: [DATABASE],
          useFactory: (db: Database) => new OutboxRepository(db),
        },
        MessagesService,
        StreamHub,
        StreamSocketServer,
        OutboundWebWorker,
      ],
    };
  }
}
