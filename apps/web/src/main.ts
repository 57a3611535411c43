import { serviceMain } from '@parley/platform';

import { webConfigSchema } from './config';
import { StreamSocketServer } from './stream/stream-socket';
import { WebModule } from './web.module';
import { OriginPolicy } from './widget/origin-policy';

serviceMain('web', webConfigSchema, ({ config, logger, metrics }) => ({
  module: WebModule.forRoot(config, logger, metrics),
  bodyLimitBytes: config.WEB_BODY_LIMIT_BYTES,
  // API callers may trace their requests: a `traceparent` header is continued.
  continueTraces: true,
  configure: (app) => {
    app.get(OriginPolicy).install(app.getHttpAdapter().getInstance());
    app.get(StreamSocketServer).attach(app.getHttpServer());
  },
}));
