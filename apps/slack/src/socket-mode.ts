import { LogLevel, SocketModeClient, type Logger as SlackLogger } from '@slack/socket-mode';

import type { Logger } from '@parley/platform';

import type { SlackConfig } from './config';
import type { SlackInbound } from './slack-inbound';

interface SocketEvent {
  type: string;
  body: unknown;
  retry_num?: number;
  ack: () => Promise<void>;
}

/**
 * Socket Mode: Slack pushes the same payloads down a WebSocket this app opens (apps.connections.open
 * with the App-Level Token), so no public URL is needed. Each is acknowledged once it is stored;
 * one that fails is not, and Slack sends it again.
 */
export async function startSocketMode(
  config: SlackConfig,
  inbound: SlackInbound,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  const client = new SocketModeClient({
    appToken: config.SLACK_APP_TOKEN ?? '',
    logger: slackLogger(logger),
    clientOptions: { slackApiUrl: config.SLACK_API_URL },
  });
  client.on('slack_event', (event: SocketEvent) => {
    const delivery = {
      transport: 'socket' as const,
      ...(event.retry_num ? { retryNum: event.retry_num } : {}),
    };
    const handled =
      event.type === 'events_api'
        ? inbound.event(event.body, delivery)
        : event.type === 'interactive'
          ? inbound.interaction(event.body, delivery)
          : Promise.resolve();
    handled
      .then(() => event.ack())
      .catch((error: unknown) =>
        logger.error(
          { err: error, type: event.type },
          'slack socket event not taken; Slack will resend',
        ),
      );
  });
  await client.start();
  logger.info('slack socket mode connected');
  return { close: () => client.disconnect() };
}

/** The client's logging through Parley's structured logger (its default prints plain lines). */
function slackLogger(logger: Logger): SlackLogger {
  const line = (parts: unknown[]) => parts.map(String).join(' ');
  let level = LogLevel.INFO;
  return {
    // Its debug lines carry whole payloads, customer text included: never logged.
    debug: () => undefined,
    info: (...parts: unknown[]) => logger.info({ source: 'socket-mode' }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: 'socket-mode' }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ source: 'socket-mode' }, line(parts)),
    setLevel: (next: LogLevel) => (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
