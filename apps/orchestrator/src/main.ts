import { serviceMain } from '@parley/platform';

import { loadOrchestratorConfig } from './config';
import { OrchestratorModule } from './orchestrator.module';

serviceMain('orchestrator', loadOrchestratorConfig, ({ config, logger, metrics }) => ({
  module: OrchestratorModule.forRoot(config, logger, metrics),
}));
