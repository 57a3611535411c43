import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { CONFIG, REDIS } from '@parley/platform';
import { queuePrefix } from '@parley/queue';

import type { SlackConfig } from './config';
import { SLACK_SIGNATURE_WINDOW_SECONDS } from '@parley/channels';

/**
 * Remembers the signatures of requests taken in the last window, so a captured request sent again
 * while its timestamp is still fresh is refused like a forged one. Slack's own retries are new
 * requests (new timestamp, new signature) and pass; their event is deduped by its message id.
 */
@Injectable()
export class ReplayGuard {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) config: SlackConfig,
  ) {
    this.prefix = `${queuePrefix(config.PARLEY_QUEUE_PREFIX)}:slack-signature:`;
  }

  /** True the first time a signature is seen within the window (either side of now). */
  async first(signature: string): Promise<boolean> {
    const set = await this.redis.set(
      `${this.prefix}${signature}`,
      '1',
      'EX',
      2 * SLACK_SIGNATURE_WINDOW_SECONDS,
      'NX',
    );
    return set === 'OK';
  }

  /** The request was not taken after all (it failed): Slack's resend of it may come in. */
  async forget(signature: string): Promise<void> {
    await this.redis.del(`${this.prefix}${signature}`);
  }
}
