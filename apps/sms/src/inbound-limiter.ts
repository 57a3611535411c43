import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { CONFIG, REDIS } from '@parley/platform';
import { queuePrefix } from '@parley/queue';

import type { SmsConfig } from './config';

export type Admission = 'allowed' | 'first_refused' | 'refused';

/**
 * Messages per customer per minute: a flood (a loop between two bots, a stuck phone) would
 * otherwise buy a turn, and a model call, per message. The first message over the limit gets a
 * notice; the rest are dropped until the minute is over.
 */
@Injectable()
export class InboundLimiter {
  private readonly limiter: RateLimiterRedis;
  private readonly points: number;

  constructor(@Inject(REDIS) redis: Redis, @Inject(CONFIG) config: SmsConfig) {
    this.points = config.SMS_INBOUND_PER_MINUTE;
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${queuePrefix(config.PARLEY_QUEUE_PREFIX)}:sms-inbound`,
      points: this.points,
      duration: 60,
    });
  }

  async admit(from: string): Promise<Admission> {
    try {
      await this.limiter.consume(from);
      return 'allowed';
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return rejection.consumedPoints === this.points + 1 ? 'first_refused' : 'refused';
    }
  }
}
