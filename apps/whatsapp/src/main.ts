import { serviceMain } from '@parley/platform';

import { whatsappConfigSchema } from './config';
import { WhatsAppModule } from './whatsapp.module';

/**
 * Meta signs the webhook's bytes exactly as sent (non-ASCII escaped as \uXXXX): JSON bodies are
 * kept as the raw Buffer here, verified, and only then parsed by the controller.
 */
serviceMain('whatsapp', whatsappConfigSchema, ({ config, logger, metrics }) => ({
  module: WhatsAppModule.forRoot(config, logger, metrics),
  bodyLimitBytes: 1024 * 1024,
  configure: (app) => {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      (_request, body: Buffer, done) => done(null, body),
    );
  },
}));
