import { ErrorCode, PRODUCER, ParleyError, serviceMain } from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import { Sessions } from './auth/sessions';
import { consoleConfigSchema } from './config';
import { ConsoleModule } from './console.module';
import { mountQueueBoard } from './queues/queue-board';

const SLACK_INTERACTIVITY = '/console/slack/interactivity';

/** Support agents' web app and its JSON API (/console, /console/api). */
serviceMain('console', consoleConfigSchema, ({ config, logger, metrics }) => ({
  module: ConsoleModule.forRoot(config, logger, metrics),
  configure: async (app) => {
    const fastify = app.getHttpAdapter().getInstance();
    // Slack's Claim clicks (/console/slack/interactivity) are forms signed over their exact
    // bytes: they reach the controller as the raw string. Every other route still takes JSON only.
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (request, body: string, done) => {
        if (request.routeOptions.url === SLACK_INTERACTIVITY) return done(null, body);
        done(
          new ParleyError(ErrorCode.UnsupportedMediaType, 'Send JSON (application/json).'),
          undefined,
        );
      },
    );
    fastify.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'no-referrer');
      void reply.header('x-frame-options', 'DENY');
      return payload;
    });
    await mountQueueBoard(fastify, {
      producer: app.get<QueueProducer>(PRODUCER),
      sessions: app.get(Sessions),
      operatorAssistantId: config.PARLEY_ASSISTANT_ID,
      logger,
    });
  },
}));
