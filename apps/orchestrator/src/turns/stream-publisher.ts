import type { Redis } from 'ioredis';

import type { StreamEvent } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { webStreamChannel } from '@parley/queue';

/**
 * Shows a web customer the turn under way: `typing` when it starts, then the reply's fragments as
 * a model writes them, on the web replicas' pub/sub channel. Fire and forget, in order (one Redis
 * connection keeps the order of its commands); the reply itself still goes through the outbound
 * queue, so a lost event costs a draft, never a reply.
 */
export class StreamPublisher {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = webStreamChannel(prefix);
  }

  typing(conversationId: string, inReplyTo: string): void {
    this.publish({ type: 'typing', conversationId, inReplyTo });
  }

  /** A sink for one reply's text: each call publishes the next fragment, numbered from 0. */
  draft(conversationId: string, inReplyTo: string): (text: string) => void {
    let seq = 0;
    return (text) => this.publish({ type: 'delta', conversationId, inReplyTo, seq: seq++, text });
  }

  private publish(event: StreamEvent): void {
    this.redis.publish(this.channel, JSON.stringify(event)).catch((error: unknown) => {
      this.logger.warn({ err: error, type: event.type }, 'could not publish a stream event');
    });
  }
}
