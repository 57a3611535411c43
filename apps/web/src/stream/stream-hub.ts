import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { StreamEventSchema, type RepliesEvent, type StreamEvent } from '@parley/contracts';
import { CONFIG, LOGGER, REDIS, ShutdownCoordinator, type Logger } from '@parley/platform';
import { webStreamChannel } from '@parley/queue';

import type { WebConfig } from '../config';

export interface StreamSubscriber {
  send(event: StreamEvent): void;
}

/**
 * Fans stream events out to every web replica through one Redis pub/sub channel, so the replica
 * holding a customer's WebSocket, or their waiting HTTP request, delivers them.
 */
@Injectable()
export class StreamHub implements OnApplicationBootstrap {
  private readonly channel: string;
  /** Requests waiting for the replies to a message; concurrent retries of one message share it. */
  private readonly waiters = new Map<string, Set<(event: RepliesEvent) => void>>();
  private readonly sockets = new Map<string, Set<StreamSubscriber>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) config: WebConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly shutdown: ShutdownCoordinator,
  ) {
    this.channel = webStreamChannel(config.PARLEY_QUEUE_PREFIX);
  }

  async onApplicationBootstrap(): Promise<void> {
    const subscriber = this.redis.duplicate({ connectionName: 'web:stream' });
    subscriber.on('message', (_channel: string, raw: string) => this.dispatch(raw));
    await subscriber.subscribe(this.channel);
    this.shutdown.register('connections', () => subscriber.quit());
  }

  async publish(event: StreamEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  /**
   * Resolves with the replies to `messageId` or null after `timeoutMs`. Register before the turn
   * can finish (before enqueueing), so a fast reply is never missed.
   */
  waitForReplies(
    messageId: string,
    timeoutMs: number,
  ): { promise: Promise<RepliesEvent | null>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    let settle: (event: RepliesEvent | null) => void = () => undefined;
    const promise = new Promise<RepliesEvent | null>((resolve) => {
      const waiting = this.waiters.get(messageId) ?? new Set();
      settle = (event) => {
        clearTimeout(timer);
        waiting.delete(settle);
        if (waiting.size === 0) this.waiters.delete(messageId);
        resolve(event);
      };
      timer = setTimeout(() => settle(null), timeoutMs);
      waiting.add(settle);
      this.waiters.set(messageId, waiting);
    });
    return { promise, cancel: () => settle(null) };
  }

  attach(conversationId: string, subscriber: StreamSubscriber): () => void {
    const set = this.sockets.get(conversationId) ?? new Set();
    set.add(subscriber);
    this.sockets.set(conversationId, set);
    return () => {
      set.delete(subscriber);
      if (set.size === 0) this.sockets.delete(conversationId);
    };
  }

  private dispatch(raw: string): void {
    let event: StreamEvent;
    try {
      event = StreamEventSchema.parse(JSON.parse(raw));
    } catch (error) {
      this.logger.warn({ err: error }, 'ignored malformed stream event');
      return;
    }
    if (event.type === 'replies' && event.inReplyTo) {
      for (const settle of [...(this.waiters.get(event.inReplyTo) ?? [])]) settle(event);
    }
    for (const subscriber of this.sockets.get(event.conversationId) ?? []) subscriber.send(event);
  }
}
