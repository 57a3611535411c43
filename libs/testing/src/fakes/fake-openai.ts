import type { ServerResponse } from 'node:http';

import {
  DEFAULT_USAGE,
  FakeLlmServer,
  fragments,
  pieces,
  writeEvents,
  type FakeLlmOptions,
  type RecordedRequest,
  type Renderer,
  type Scripted,
} from './fake-llm-server';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** OpenAI's Chat Completions endpoint (`POST /v1/chat/completions`), JSON and SSE. */
export function startFakeOpenAI(options?: FakeLlmOptions): Promise<FakeLlmServer> {
  return new FakeLlmServer('/v1/chat/completions', render, options).start();
}

const render: Renderer = (scripted, request, response) => {
  if (scripted.kind === 'status') {
    response.writeHead(scripted.status, {
      'content-type': 'application/json',
      ...scripted.headers,
    });
    response.end(
      JSON.stringify({
        error: {
          message: scripted.message ?? `scripted ${scripted.status}`,
          type: ERROR_TYPES[scripted.status] ?? 'server_error',
          param: null,
          code: null,
        },
      }),
    );
    return;
  }
  if (request.body.stream === true) streamed(scripted, request, response);
  else whole(scripted, request, response);
};

function modelOf(scripted: Scripted, request: RecordedRequest): string {
  return ('model' in scripted && scripted.model) || String(request.body.model);
}

function whole(
  scripted: Exclude<Scripted, { kind: 'status' | 'hang' }>,
  request: RecordedRequest,
  response: ServerResponse,
): void {
  if (scripted.kind === 'cut') {
    response.socket?.destroy();
    return;
  }
  const usage = scripted.usage ?? DEFAULT_USAGE;
  const toolCalls =
    scripted.kind === 'tool_calls'
      ? scripted.calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }))
      : undefined;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: modelOf(scripted, request),
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: scripted.text ?? null,
            refusal: null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason:
            scripted.kind === 'tool_calls' ? 'tool_calls' : (scripted.finish ?? 'stop'),
        },
      ],
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      },
    }),
  );
}

function streamed(
  scripted: Exclude<Scripted, { kind: 'status' | 'hang' }>,
  request: RecordedRequest,
  response: ServerResponse,
): void {
  const includeUsage =
    (request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage ===
    true;
  const chunk = (choices: unknown[], usage: unknown = null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: modelOf(scripted, request),
      system_fingerprint: 'fp_fake',
      choices,
      ...(includeUsage ? { usage } : {}),
    })}\n\n`;
  const delta = (value: Record<string, unknown>, finish: string | null = null) =>
    chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

  const text = scripted.text ?? '';
  const textFragments = fragments(text);
  const events = [delta({ role: 'assistant', content: '', refusal: null })];
  const shown = scripted.kind === 'cut' ? textFragments.slice(0, scripted.deltas) : textFragments;
  events.push(...shown.map((content) => delta({ content })));
  if (scripted.kind === 'cut') {
    writeEvents(response, events, true);
    return;
  }
  if (scripted.kind === 'tool_calls') {
    scripted.calls.forEach((call, index) => {
      // The first fragment names the call; the arguments follow in pieces, keyed by index only.
      events.push(
        delta({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        }),
      );
      for (const part of pieces(call.arguments)) {
        events.push(delta({ tool_calls: [{ index, function: { arguments: part } }] }));
      }
    });
  }
  const finish = scripted.kind === 'tool_calls' ? 'tool_calls' : (scripted.finish ?? 'stop');
  events.push(delta({}, finish));
  if (includeUsage) {
    const usage = scripted.usage ?? DEFAULT_USAGE;
    events.push(
      chunk([], {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  writeEvents(response, events);
}
