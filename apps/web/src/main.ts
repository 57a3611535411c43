import { ConfigError } from '@parley/config';
import { createLogger, createMetricsRegistry, runService } from '@parley/platform';

import { loadWebConfig, type WebConfig } from './config';
import { StreamSocketServer } from './stream/stream-socket';
import { WebModule } from './web.module';

function main(): void {
  let config: WebConfig;
  try {
    config = loadWebConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`web: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger('web', config.LOG_LEVEL);
  const metrics = createMetricsRegistry('web');
  void runService({
    name: 'web',
    module: WebModule.forRoot(config, logger, metrics),
    logger,
    metrics,
    host: config.HOST,
    port: config.PORT,
    bodyLimitBytes: config.WEB_BODY_LIMIT_BYTES,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    configure: (app) => app.get(StreamSocketServer).attach(app.getHttpServer()),
  });
}

main();
