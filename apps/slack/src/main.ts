import { serviceMain } from '@parley/platform';

import { slackConfigSchema } from './config';
import { SlackModule } from './slack.module';

/**
 * Slack signs the body's exact bytes: JSON (events) and forms (interactivity) reach the
 * controller as the raw string, which it verifies before parsing.
 */
serviceMain('slack', slackConfigSchema, ({ config, logger, metrics }) => ({
  module: SlackModule.forRoot(config, logger, metrics),
  // Events carry a message's text and blocks; Slack's own limit for a payload is far above 64 KB.
  bodyLimitBytes: 1024 * 1024,
  configure: (app) => {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'string' },
      (_request, body: string, done) => done(null, body),
    );
  },
}));
