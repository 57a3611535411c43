import { serviceMain } from '@parley/platform';

import { orchestratorConfigSchema } from './config';
import { OrchestratorModule } from './orchestrator.module';

serviceMain('orchestrator', orchestratorConfigSchema, ({ config, logger, metrics }) => ({
  module: OrchestratorModule.forRoot(config, logger, metrics),
}));
