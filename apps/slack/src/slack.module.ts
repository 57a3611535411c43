import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Registry } from 'prom-client';

import { channelProviders } from '@parley/channels';
import { QueueName } from '@parley/contracts';
import { CONFIG, CoreModule, LOGGER, ShutdownCoordinator, type Logger } from '@parley/platform';

import type { SlackConfig } from './config';
import { ReplayGuard } from './replay-guard';
import { SlackController } from './slack.controller';
import { SlackInbound } from './slack-inbound';
import { SlackSender } from './slack-sender';
import { startSocketMode } from './socket-mode';

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
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'slack',
          queues: [QueueName.OutboundSlack],
        }),
      ],
      controllers: [SlackController],
      providers: [
        ...channelProviders(config, logger, {
          // Posted in order, at most SLACK_SEND_RATE_PER_SECOND per Slack channel.
          settings: () => ({
            channel: 'slack',
            sender: new SlackSender(config),
            concurrency: config.SLACK_OUTBOUND_CONCURRENCY,
            ratePerSecond: config.SLACK_SEND_RATE_PER_SECOND,
          }),
        }),
        ReplayGuard,
        SlackInbound,
        SlackSocketReceiver,
      ],
    };
  }
}
