import { ConfigError } from '@parley/config';
import { createLogger, createMetricsRegistry, runService } from '@parley/platform';

import { loadOrchestratorConfig, type OrchestratorConfig } from './config';
import { OrchestratorModule } from './orchestrator.module';

function main(): void {
  let config: OrchestratorConfig;
  try {
    config = loadOrchestratorConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`orchestrator: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger('orchestrator', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('orchestrator');
  void runService({
    name: 'orchestrator',
    module: OrchestratorModule.forRoot(config, logger, metrics),
    logger,
    metrics,
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
  });
}

main();
