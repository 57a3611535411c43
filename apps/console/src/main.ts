import { serviceMain } from '@parley/platform';

import { consoleConfigSchema } from './config';
import { ConsoleModule } from './console.module';

/** Support agents' web app and its JSON API (/console, /console/api). */
serviceMain('console', consoleConfigSchema, ({ config, logger, metrics }) => ({
  module: ConsoleModule.forRoot(config, logger, metrics),
  configure: (app) => {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (_request, reply, payload) => {
        void reply.header('x-content-type-options', 'nosniff');
        void reply.header('referrer-policy', 'no-referrer');
        void reply.header('x-frame-options', 'DENY');
        return payload;
      });
  },
}));
