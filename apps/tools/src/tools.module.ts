import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { QueueName } from '@parley/contracts';
import type { Database } from '@parley/db';
import { CoreModule, DATABASE, type Logger } from '@parley/platform';

import type { ToolsConfig } from './config';
import { createToolRunner } from './create-tool-runner';
import { ToolWorker } from './tool.worker';
import { TOOL_RUNNER } from './tokens';

@Module({})
export class ToolsModule {
  static forRoot(config: ToolsConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: ToolsModule,
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'tools',
          queues: [QueueName.Tools],
        }),
      ],
      providers: [
        {
          provide: TOOL_RUNNER,
          inject: [DATABASE],
          useFactory: (db: Database) => createToolRunner(config, db, logger),
        },
        ToolWorker,
      ],
    };
  }
}
