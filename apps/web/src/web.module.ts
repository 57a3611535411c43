import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { InboxRepository, OutboxRepository, TranscriptRepository, type Prisma } from '@parley/db';
import { CoreModule, PRISMA, type Logger } from '@parley/platform';

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
        { provide: INBOX, inject: [PRISMA], useFactory: (p: Prisma) => new InboxRepository(p) },
        {
          provide: TRANSCRIPTS,
          inject: [PRISMA],
          useFactory: (p: Prisma) => new TranscriptRepository(p),
        },
        { provide: OUTBOX, inject: [PRISMA], useFactory: (p: Prisma) => new OutboxRepository(p) },
        MessagesService,
        StreamHub,
        StreamSocketServer,
        OutboundWebWorker,
      ],
    };
  }
}
