import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import path from 'node:path';

import {
  DiagLogLevel,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  diag,
  propagation,
  trace,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyServerFactory } from 'fastify';

import { REPO_ROOT, type BaseConfig } from '@parley/config';
import { tracer } from '@parley/queue';

import type { Logger } from './logger';

export { failSpan, tracer, withSpan } from '@parley/queue';

export type TracingConfig = Pick<
  BaseConfig,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_BSP_SCHEDULE_DELAY'
>;

export interface Tracing {
  /** Spans are recorded and exported; false: nothing is registered, the API is a no-op. */
  readonly enabled: boolean;
  /** Exports the spans still buffered, then stops: after the service's work has stopped. */
  shutdown(): Promise<void>;
}

const DISABLED: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

/** Where traces go: the traces endpoint as given, or `<endpoint>/v1/traces`; null: nowhere. */
export function otlpTracesUrl(config: TracingConfig): string | null {
  if (config.OTEL_SDK_DISABLED) return null;
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  }
  return null;
}

/**
 * Starts OpenTelemetry tracing for a service when an OTLP endpoint is configured: a tracer
 * provider exporting in batches over OTLP/HTTP, the async-hooks context manager and the W3C
 * trace-context propagator, as the process-wide globals. Otherwise registers nothing, so spans
 * cost no more than the API's no-ops and no job carries trace context.
 */
export function startTracing(service: string, config: TracingConfig, logger: Logger): Tracing {
  const url = otlpTracesUrl(config);
  if (!url) return DISABLED;
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const version = parleyVersion();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? `parley-${service}`,
      ...(version ? { [ATTR_SERVICE_VERSION]: version } : {}),
    }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url }),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  logger.info({ url }, 'exporting traces over OTLP');
  return {
    enabled: true,
    shutdown: async () => {
      try {
        await provider.shutdown();
      } catch (error) {
        logger.warn({ err: error }, 'could not export the last spans');
      }
    },
  };
}

/** Health checks and scrapes would drown the traces that matter. */
const UNTRACED = /^\/(health\/|metrics(\?|$))/;

const serverSpans = new WeakMap<IncomingMessage, Span>();

/**
 * An HTTP server whose every request runs in a server span (health and metrics excepted).
 * `continueTraces`: a request's `traceparent` header is its parent (the public web API, whose
 * callers may trace their own requests); otherwise every request starts a trace.
 */
export function tracedServerFactory(options: { continueTraces: boolean }): FastifyServerFactory {
  return (handler) =>
    http.createServer((request, response) => {
      const url = request.url ?? '/';
      if (UNTRACED.test(url)) return handler(request, response);
      const parent = options.continueTraces
        ? propagation.extract(ROOT_CONTEXT, request.headers)
        : ROOT_CONTEXT;
      const method = request.method ?? 'GET';
      const span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: method,
            // Without the query: it may carry tokens.
            [ATTR_URL_PATH]: url.split('?')[0],
          },
        },
        parent,
      );
      serverSpans.set(request, span);
      response.once('close', () => {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
        if (response.statusCode >= 500 || !response.writableFinished) {
          span.setStatus({
            code: SpanStatusCode.ERROR,
            ...(response.writableFinished ? {} : { message: 'connection closed early' }),
          });
        }
        span.end();
      });
      const active = trace.setSpan(parent, span);
      // The body arrives in stream events: their listeners must see the request's span too.
      context.bind(active, request);
      context.bind(active, response);
      context.with(active, () => handler(request, response));
    });
}

/** Names a request's server span after its route (`POST /sms/inbound`), once it is matched. */
export function nameServerSpan(request: IncomingMessage, route: string | undefined): void {
  const span = serverSpans.get(request);
  if (!span || !route) return;
  span.updateName(`${request.method ?? 'GET'} ${route}`);
  span.setAttribute(ATTR_HTTP_ROUTE, route);
}

function parleyVersion(): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}
