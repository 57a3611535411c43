import { Inject, Injectable } from '@nestjs/common';

import { INTAKE, type ChannelIntake } from '@parley/channels';
import { CONFIG, LOGGER, type Logger } from '@parley/platform';

import type { SlackConfig } from './config';
import {
  readBlockActions,
  readEventCallback,
  type BlockActions,
  type EventCallback,
  type Reading,
} from './slack-events';

/** How a payload reached the app, for the logs. */
export interface Delivery {
  transport: 'http' | 'socket';
  /** X-Slack-Retry-Num / retry_attempt: Slack's resend of something it thinks went unanswered. */
  retryNum?: number;
}

/**
 * Where Slack's payloads become customer messages, whichever way they came (Events API over HTTP
 * or Socket Mode): read, then handed to intake, which stores them under Slack's message id before
 * waking the orchestrator. Only that store is awaited before Slack gets its acknowledgement.
 */
@Injectable()
export class SlackInbound {
  constructor(
    @Inject(INTAKE) private readonly intake: ChannelIntake,
    @Inject(CONFIG) private readonly config: SlackConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** An Events API payload of type event_callback. */
  async event(body: unknown, delivery: Delivery): Promise<void> {
    if (!isObject(body)) return;
    const callback = body as EventCallback;
    if (callback.type !== 'event_callback') return;
    await this.take(readEventCallback(callback), delivery, { eventId: callback.event_id });
  }

  /** An interactivity payload (a button click). */
  async interaction(payload: unknown, delivery: Delivery): Promise<void> {
    if (!isObject(payload)) return;
    const actions = payload as BlockActions;
    if (actions.type !== 'block_actions') return;
    await this.take(readBlockActions(actions), delivery, {});
  }

  private async take(
    reading: Reading,
    delivery: Delivery,
    context: { eventId?: string },
  ): Promise<void> {
    if (reading.kind === 'ignored') {
      this.logger.debug({ ...context, ...delivery, why: reading.why }, 'slack payload ignored');
      return;
    }
    const { message } = reading;
    const result = await this.intake.accept({
      channel: 'slack',
      assistantId: this.config.PARLEY_ASSISTANT_ID,
      externalUserId: message.userId,
      text: message.text,
      providerMessageId: message.providerMessageId,
      threadKey: message.threadKey,
      // Slack signed the request (or sent it down the app's own socket).
      verified: true,
    });
    this.logger.info(
      {
        ...context,
        ...delivery,
        result: result.kind,
        ...('conversationId' in result ? { conversationId: result.conversationId } : {}),
      },
      'slack message taken',
    );
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
