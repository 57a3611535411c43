import type { ServerResponse } from 'node:http';

import {
  DEFAULT_USAGE,
  FakeLlmServer,
  fragments,
  pieces,
  writeEvents,
  type RecordedRequest,
  type Renderer,
  type Scripted,
} from './fake-llm-server';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's Messages endpoint (`POST /v1/messages`), JSON and SSE with named events. */
export function startFakeAnthropic(): Promise<FakeLlmServer> {
  return new FakeLlmServer('/v1/messages', render).start();
}

const render: Renderer = (scripted, request, response) => {
  if (scripted.kind === 'status') {
    response.writeHead(scripted.status, {
      'content-type': 'application/json',
      'request-id': 'req_fake',
      ...scripted.headers,
    });
    response.end(
      JSON.stringify({
        type: 'error',
        error: {
          type: ERROR_TYPES[scripted.status] ?? 'api_error',
          message: scripted.message ?? `scripted ${scripted.status}`,
        },
        request_id: 'req_fake',
      }),
    );
    return;
  }
  if (request.body.stream === true) streamed(scripted, request, response);
  else whole(scripted, request, response);
};

type Answer = Exclude<Scripted, { kind: 'status' | 'hang' }>;

function modelOf(scripted: Scripted, request: RecordedRequest): string {
  return ('model' in scripted && scripted.model) || String(request.body.model);
}

function stopReasonOf(scripted: Answer): string {
  if (scripted.kind === 'tool_calls') return 'tool_use';
  return scripted.kind === 'text' && scripted.finish === 'length' ? 'max_tokens' : 'end_turn';
}

function whole(scripted: Answer, request: RecordedRequest, response: ServerResponse): void {
  if (scripted.kind === 'cut') {
    response.socket?.destroy();
    return;
  }
  const usage = scripted.usage ?? DEFAULT_USAGE;
  const content: unknown[] = scripted.text ? [{ type: 'text', text: scripted.text }] : [];
  if (scripted.kind === 'tool_calls') {
    for (const call of scripted.calls) {
      content.push({
        type: 'tool_use',
        id: call.id,
        name: call.name,
        input: JSON.parse(call.arguments) as unknown,
      });
    }
  }
  response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
  response.end(
    JSON.stringify({
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: modelOf(scripted, request),
      content,
      stop_reason: stopReasonOf(scripted),
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    }),
  );
}

function streamed(scripted: Answer, request: RecordedRequest, response: ServerResponse): void {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const usage = scripted.kind === 'cut' ? DEFAULT_USAGE : (scripted.usage ?? DEFAULT_USAGE);
  const events = [
    event('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: modelOf(scripted, request),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The real API reports input here and a running output count in message_delta.
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  const text = scripted.text ?? '';
  if (text) {
    events.push(
      event('content_block_start', { index, content_block: { type: 'text', text: '' } }),
      event('ping', {}),
    );
    const shown =
      scripted.kind === 'cut' ? fragments(text).slice(0, scripted.deltas) : fragments(text);
    for (const part of shown) {
      events.push(
        event('content_block_delta', { index, delta: { type: 'text_delta', text: part } }),
      );
    }
  }
  if (scripted.kind === 'cut') {
    writeEvents(response, events, true);
    return;
  }
  if (text) {
    events.push(event('content_block_stop', { index }));
    index++;
  }
  if (scripted.kind === 'tool_calls') {
    for (const call of scripted.calls) {
      events.push(
        event('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
        }),
        event('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: '' },
        }),
      );
      for (const part of pieces(call.arguments)) {
        events.push(
          event('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: part },
          }),
        );
      }
      events.push(event('content_block_stop', { index }));
      index++;
    }
  }
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReasonOf(scripted), stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    event('message_stop', {}),
  );
  writeEvents(response, events);
}
