import { serviceMain } from '@parley/platform';

import { toolsConfigSchema } from './config';
import { ToolsModule } from './tools.module';

serviceMain('tools', toolsConfigSchema, ({ config, logger, metrics }) => ({
  module: ToolsModule.forRoot(config, logger, metrics),
}));
