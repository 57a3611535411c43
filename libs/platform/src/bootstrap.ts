import 'reflect-metadata';

import { type DynamicModule, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Registry } from 'prom-client';

import type { z } from 'zod';

import { ConfigError, describeConfig, loadConfig, type BaseConfig } from '@parley/config';

import { HttpErrorFilter, installJsonParser } from './http-errors';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry, httpDurationHistogram } from './metrics';
import { ShutdownCoordinator } from './shutdown';
import { nameServerSpan, startTracing, tracedServerFactory, type Tracing } from './tracing';

export interface ServiceOptions {
  name: string;
  module: Type | DynamicModule;
  logger: Logger;
  metrics: Registry;
  host: string;
  port: number;
  bodyLimitBytes?: number;
  shutdownTimeoutSeconds: number;
  /** Runs on the Nest app before it listens (WebSocket adapters, extra hooks). */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Started by serviceMain: when enabled, every request runs in a server span. */
  tracing?: Tracing;
  /** A request's `traceparent` header continues the caller's trace (the public web API). */
  continueTraces?: boolean;
}

/** Nest's own messages go through pino, so every line is structured JSON. */
class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/**
 * Starts a Parley service: Fastify with strict JSON parsing and uniform errors, request metrics,
 * and a graceful shutdown on SIGTERM/SIGINT (readiness 503, stop HTTP, drain work, close
 * connections) bounded by the shutdown timeout. Returns the app (tests close it themselves).
 */
export async function startService(options: ServiceOptions): Promise<NestFastifyApplication> {
  const { logger } = options;
  const traced = options.tracing?.enabled === true;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    trustProxy: true,
    return503OnClosing: true,
    ...(traced
      ? { serverFactory: tracedServerFactory({ continueTraces: options.continueTraces ?? false }) }
      : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Parley parses JSON itself (strict UTF-8, uniform errors): see installJsonParser.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installJsonParser(fastify);
  app.useGlobalFilters(new HttpErrorFilter(logger));

  if (traced) {
    fastify.addHook('onRequest', (request, _reply, done) => {
      nameServerSpan(request.raw, request.routeOptions.url);
      done();
    });
  }
  const duration = httpDurationHistogram(options.metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });

  await options.configure?.(app);
  await app.listen(options.port, options.host);
  logger.info({ port: options.port }, `${options.name} listening`);
  return app;
}

/** Runs a service as a process: exits 1 with a clear message when it cannot start. */
export async function runService(options: ServiceOptions): Promise<void> {
  const { logger } = options;
  let app: NestFastifyApplication;
  try {
    app = await startService(options);
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    // Let pino flush, then leave even if a half-open connection keeps the loop alive.
    setTimeout(() => process.exit(1), 100).unref();
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${options.name} shutting down`);
    app.get(ShutdownCoordinator).beginStopping();
    setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, options.shutdownTimeoutSeconds * 1000).unref();
    app
      .close()
      // Spans of the work that just finished are exported before the process goes.
      .then(() => options.tracing?.shutdown())
      .then(() => {
        logger.info(`${options.name} stopped`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  metrics: Registry;
}

/**
 * A service's `main`: validated config (exit 1 naming each bad variable), logger and metrics,
 * then runService with what `describe` adds (the module, body limit, extra set-up).
 */
export function serviceMain<
  S extends z.ZodObject,
  C extends z.infer<S> & BaseConfig & { PORT: number },
>(
  name: string,
  schema: S,
  describe: (
    context: ServiceContext<C>,
  ) => Pick<ServiceOptions, 'module' | 'bodyLimitBytes' | 'configure' | 'continueTraces'>,
): void {
  let config: C;
  try {
    config = loadConfig(schema) as C;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  const metrics = createMetricsRegistry(name);
  logger.info({ config: describeConfig(schema, config) }, `${name} starting`);
  const tracing = startTracing(name, config, logger);
  void runService({
    name,
    logger,
    metrics,
    tracing,
    host: config.HOST,
    port: config.PORT,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    ...describe({ config, logger, metrics }),
  });
}
