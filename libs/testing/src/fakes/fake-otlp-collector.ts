import http from 'node:http';
import { gunzipSync } from 'node:zlib';

import { startLocalServer, type LocalServer } from './local-server';

/** OTLP span kinds as numbered on the wire (SPAN_KIND_INTERNAL = 1 … SPAN_KIND_CONSUMER = 5). */
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKindName = (typeof KINDS)[number];

/** A span as a collector received it, with the `service.name` of the process that sent it. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a trace's root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKindName;
  attributes: Record<string, unknown>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  events: { name: string; attributes: Record<string, unknown> }[];
}

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number };
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
}
interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

/**
 * An OpenTelemetry collector's OTLP/HTTP traces receiver (`POST /v1/traces`), in the JSON encoding
 * the Node OTLP/HTTP exporter sends (hex ids, gzip if asked), keeping every span it is given.
 */
export class FakeOtlpCollector {
  readonly spans: CollectedSpan[] = [];
  /** Export requests received, malformed ones included. */
  requests = 0;
  private local?: LocalServer;
  url = '';

  async start(): Promise<this> {
    this.local = await startLocalServer((request, received, response) => {
      this.requests += 1;
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        return reply(response, 404, { code: 5, message: 'not found' });
      }
      try {
        let body = received;
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        this.receive(JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest);
        reply(response, 200, {});
      } catch (error) {
        reply(response, 400, { code: 3, message: String(error) });
      }
    });
    this.url = this.local.url;
    return this;
  }

  /** Every span of one trace, in the order received. */
  trace(traceId: string): CollectedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async close(): Promise<void> {
    await this.local?.close();
  }

  private receive(request: ExportTraceServiceRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      const name = resource['service.name'];
      const service = typeof name === 'string' ? name : '';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: KINDS[span.kind ?? 0] ?? 'unspecified',
            attributes: attributesOf(span.attributes),
            statusCode: span.status?.code ?? 0,
            events: (span.events ?? []).map((event) => ({
              name: event.name,
              attributes: attributesOf(event.attributes),
            })),
          });
        }
      }
    }
  }
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function reply(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function startFakeOtlpCollector(): Promise<FakeOtlpCollector> {
  return new FakeOtlpCollector().start();
}
