import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';

import { channelProviders } from '@parley/channels';
import { QueueName } from '@parley/contracts';
import { CoreModule, type Logger } from '@parley/platform';

import type { SmsConfig } from './config';
import { InboundLimiter } from './inbound-limiter';
import { SmsController } from './sms.controller';
import { TwilioSender } from './twilio-sender';

@Module({})
export class SmsModule {
  static forRoot(config: SmsConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: SmsModule,
      imports: [
        CoreModule.forRoot({
          config,
          logger,
          metrics,
          service: 'sms',
          queues: [QueueName.OutboundSms],
        }),
      ],
      controllers: [SmsController],
      providers: [
        ...channelProviders(config, logger, {
          // Replies go out through Twilio, at the sending number's rate.
          settings: () => ({
            channel: 'sms',
            sender: new TwilioSender(config),
            concurrency: config.SMS_OUTBOUND_CONCURRENCY,
            ratePerSecond: config.SMS_SEND_RATE_PER_SECOND,
          }),
        }),
        InboundLimiter,
      ],
    };
  }
}
