import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { CONFIG, ErrorCode, ParleyError, REDIS } from '@parley/platform';
import { queuePrefix } from '@parley/queue';

import type { ConsoleConfig } from '../config';

const WINDOW_SECONDS = 15 * 60;

export class TooManyAttempts extends ParleyError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.TooManyAttempts, 'Too many sign-in attempts. Try again later.');
  }
}

/**
 * Sign-in attempts per email and per client IP in 15 minutes. Every attempt counts when it is
 * made (so parallel guesses count too); a successful one gives its point back.
 */
@Injectable()
export class LoginLimiter {
  private readonly byEmail: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(CONFIG) config: ConsoleConfig) {
    const prefix = `${queuePrefix(config.PARLEY_QUEUE_PREFIX)}:console-login`;
    this.byEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:email`,
      points: config.CONSOLE_LOGIN_ATTEMPTS_PER_15_MIN,
      duration: WINDOW_SECONDS,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:ip`,
      points: config.CONSOLE_LOGIN_IP_ATTEMPTS_PER_15_MIN,
      duration: WINDOW_SECONDS,
    });
  }

  /** Counts an attempt; throws TooManyAttempts (429 with Retry-After) over either limit. */
  async attempt(emailKey: string, ip: string): Promise<void> {
    const results = await Promise.allSettled([
      this.byEmail.consume(emailKey),
      this.byIp.consume(ip),
    ]);
    let waitMs = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      waitMs = Math.max(waitMs, result.reason.msBeforeNext);
    }
    if (waitMs > 0) throw new TooManyAttempts(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  async succeeded(emailKey: string, ip: string): Promise<void> {
    await Promise.all([this.byEmail.delete(emailKey), this.byIp.reward(ip, 1)]);
  }
}
