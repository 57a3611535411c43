import { serviceMain } from '@parley/platform';

import { smsConfigSchema } from './config';
import { SmsModule } from './sms.module';
import { parseForm } from './twilio-signature';

/** Twilio posts form fields; signatures are checked over the parsed parameters. */
serviceMain('sms', smsConfigSchema, ({ config, logger, metrics }) => ({
  module: SmsModule.forRoot(config, logger, metrics),
  configure: (app) => {
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body: string, done) => done(null, parseForm(body)),
      );
  },
}));
