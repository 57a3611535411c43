import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startLocalServer, type LocalServer } from './local-server';

/** What the next request gets; each fake renders it in its vendor's JSON or SSE format. */
export type Scripted =
  | { kind: 'text'; text: string; usage?: Usage; finish?: 'stop' | 'length'; model?: string }
  | { kind: 'tool_calls'; text?: string; calls: FakeToolCall[]; usage?: Usage; model?: string }
  /** An error response in the vendor's error format. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Streams the first `deltas` text fragments of `text`, then drops the connection. */
  | { kind: 'cut'; text: string; deltas: number };

export interface Usage {
  input: number;
  output: number;
}

export interface FakeToolCall {
  id: string;
  name: string;
  /** Arguments as the model writes them: JSON text, streamed in pieces. */
  arguments: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  receivedAt: number;
}

export const DEFAULT_USAGE: Usage = { input: 11, output: 7 };

/** Splits text the way models stream it: a word (and its trailing space) per fragment. */
export const fragments = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];

/** Splits JSON text into a few pieces, so a parser must join them to read it. */
export const pieces = (json: string, size = 5): string[] =>
  json.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [''];

export type Renderer = (
  scripted: Exclude<Scripted, { kind: 'hang' }>,
  request: RecordedRequest,
  response: ServerResponse,
) => void;

export interface FakeLlmOptions {
  /** False: keep no request log, for benchmarks sending more requests than memory should hold. */
  record?: boolean;
}

/** The HTTP part both fakes share: one route, a queue of scripted answers, a request log. */
export class FakeLlmServer {
  /** Every request received, unless started with `record: false`. */
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Scripted[] = [];
  private fallback?: (request: RecordedRequest) => Scripted;
  private accepts?: (request: RecordedRequest) => boolean;
  private local?: LocalServer;
  url = '';

  constructor(
    private readonly route: string,
    private readonly render: Renderer,
    private readonly options: FakeLlmOptions = {},
  ) {}

  async start(): Promise<this> {
    this.local = await startLocalServer((request, body, response) =>
      this.handle(request, body.toString('utf8'), response),
    );
    this.url = this.local.url;
    return this;
  }

  /** Queues answers for the next requests, in order. */
  script(...answers: Scripted[]): this {
    this.queue.push(...answers);
    return this;
  }

  /**
   * Answers every request the queue has no scripted answer for: a model written as a function of
   * the request (for evaluations and benchmarks that send more requests than a test would script).
   */
  /**
   * Serves only requests that `accept` lets through; others get a 400 (which no breaker counts)
   * and are neither recorded nor answered from the script. For suites sharing the test database with other files, whose
   * orchestrator's sweep may run a turn another file left behind.
   */
  only(accept: (request: RecordedRequest) => boolean): this {
    this.accepts = accept;
    return this;
  }

  respondWith(answer: (request: RecordedRequest) => Scripted): this {
    this.fallback = answer;
    return this;
  }

  /** Forgets scripted answers, the responder and recorded requests (between tests sharing one server). */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = undefined;
  }

  async close(): Promise<void> {
    await this.local?.close();
  }

  private handle(req: http.IncomingMessage, raw: string, res: ServerResponse): void {
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      receivedAt: Date.now(),
    };
    if (this.accepts && !this.accepts(request)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: { type: 'invalid_request_error', message: "fake server: not this test's request" },
        }),
      );
      return;
    }
    if (this.options.record !== false) this.requests.push(request);
    if (req.method !== 'POST' || req.url !== this.route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such route"}');
      return;
    }
    const next = this.queue.shift() ??
      this.fallback?.(request) ?? {
        kind: 'status',
        status: 500,
        message: 'fake server: no answer scripted for this request',
      };
    if (next.kind === 'hang') return;
    this.render(next, request, res);
  }
}

/** Writes server-sent events, then either ends the response or drops the connection. */
export function writeEvents(response: ServerResponse, events: string[], drop = false): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.write(events.join(''), () => {
    // Dropped after the bytes have left, so the client sees the fragments before the failure.
    if (drop) setTimeout(() => response.socket?.destroy(), 20);
    else response.end();
  });
}

/** A port nothing listens on: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * For `only`: requests whose latest customer message is one of `texts` (what the test sent),
 * in OpenAI's (`messages`) or Anthropic's (`messages` with text blocks) request shape.
 */
export function askedOneOf(texts: ReadonlySet<string>): (request: RecordedRequest) => boolean {
  const textOf = (content: unknown): string =>
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? (content as { type?: string; text?: string }[])
            .filter((block) => block.type === 'text')
            .map((block) => block.text ?? '')
            .join('')
        : '';
  return (request) => {
    const messages = (request.body.messages ?? []) as { role: string; content?: unknown }[];
    // Anthropic sends tool results as user messages without text: the question is before them.
    const question = messages
      .filter((m) => m.role === 'user')
      .map((m) => textOf(m.content))
      .filter(Boolean)
      .at(-1);
    return question !== undefined && texts.has(question);
  };
}
