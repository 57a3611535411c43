import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageDeltaUsage,
  MessageParam,
  StopReason,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';

import { toLlmError, withDeadline } from './sdk-errors';
import {
  LlmError,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type LlmProvider,
  type ProviderConfig,
  type TokenUsage,
  type ToolCall,
} from './types';

const SDK_ERRORS = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

/** The Anthropic Messages API over the official SDK. `baseURL` is the origin, without `/v1`. */
export class AnthropicProvider implements LlmProvider {
  readonly id: string;
  private readonly client: Anthropic;

  constructor(private readonly config: ProviderConfig) {
    this.id = config.id ?? `anthropic:${config.model}`;
    this.client = new Anthropic({
      baseURL: config.baseURL,
      apiKey: config.apiKey,
      defaultHeaders: config.headers ?? {},
      // A backstop only: Parley's own deadline fires first, and covers the stream as well.
      timeout: config.timeoutMs + 1_000,
      // Retries belong to ResilientProvider, which knows about streams and the breaker.
      maxRetries: 0,
    });
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const signal = withDeadline(request.signal, this.config.timeoutMs);
    try {
      const message = await this.client.messages.create(
        { ...this.body(request), stream: false },
        { signal },
      );
      let text = '';
      const toolCalls: ToolCall[] = [];
      for (const block of message.content) {
        if (block.type === 'text') text += block.text;
        if (block.type === 'tool_use') {
          toolCalls.push({
            id: block.id,
            name: block.name,
            arguments: JSON.stringify(block.input),
          });
        }
      }
      return {
        text,
        toolCalls,
        usage: usageOf(message.usage),
        model: message.model || this.config.model,
        provider: this.id,
        finishReason: finishReasonOf(message.stop_reason),
      };
    } catch (error) {
      throw toLlmError(error, this.id, SDK_ERRORS, signal);
    }
  }

  async stream(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    const signal = withDeadline(request.signal, this.config.timeoutMs);
    try {
      const events = await this.client.messages.create(
        { ...this.body(request), stream: true },
        { signal },
      );
      let text = '';
      let model = this.config.model;
      let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
      let stopReason: StopReason | null = null;
      let stopped = false;
      // A tool_use block starts with id and name; its input arrives as JSON text in pieces.
      const calls = new Map<number, ToolCall>();
      for await (const event of events) {
        switch (event.type) {
          case 'message_start':
            model = event.message.model || model;
            usage = usageOf(event.message.usage);
            break;
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') {
              const { id, name } = event.content_block;
              calls.set(event.index, { id, name, arguments: '' });
            }
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              onDelta(event.delta.text);
            } else if (event.delta.type === 'input_json_delta') {
              const call = calls.get(event.index);
              if (call) call.arguments += event.delta.partial_json;
            }
            break;
          case 'message_delta':
            stopReason = event.delta.stop_reason ?? stopReason;
            // message_delta's counts are cumulative; input is restated or null.
            usage = usageOf(event.usage, usage.inputTokens);
            break;
          case 'message_stop':
            stopped = true;
            break;
          case 'content_block_stop':
            break;
        }
      }
      // The SDK ends the loop quietly when the signal aborts mid-body.
      signal.throwIfAborted();
      if (!stopped) {
        throw new LlmError(`${this.id}: stream ended before message_stop`, {
          kind: 'network',
          provider: this.id,
        });
      }
      return {
        text,
        // A tool without parameters streams no input at all.
        toolCalls: [...calls.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, call]) => ({ ...call, arguments: call.arguments || '{}' })),
        usage,
        model,
        provider: this.id,
        finishReason: finishReasonOf(stopReason),
      };
    } catch (error) {
      throw toLlmError(error, this.id, SDK_ERRORS, signal);
    }
  }

  private body(request: ChatRequest): MessageCreateParamsBase {
    const system = request.messages
      .flatMap((message) => (message.role === 'system' ? [message.content] : []))
      .join('\n\n');
    return {
      model: this.config.model,
      max_tokens: request.maxTokens,
      messages: this.toAnthropicMessages(request.messages),
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.tools?.length
        ? {
            tools: request.tools.map((tool) => ({
              name: tool.name,
              description: tool.description,
              input_schema: tool.parameters,
            })),
          }
        : {}),
    };
  }

  /**
   * Tool results travel as tool_result blocks in a user turn; consecutive turns of one role are
   * merged, so every result of one assistant turn lands in the single user turn that follows it.
   */
  private toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
    const turns: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
    for (const message of messages) {
      if (message.role === 'system') continue;
      const role = message.role === 'assistant' ? 'assistant' : 'user';
      const blocks = this.blocksOf(message);
      const last = turns.at(-1);
      if (last?.role === role) last.content.push(...blocks);
      else turns.push({ role, content: blocks });
    }
    return turns;
  }

  private blocksOf(message: Exclude<ChatMessage, { role: 'system' }>): ContentBlockParam[] {
    switch (message.role) {
      case 'user':
        return [{ type: 'text', text: message.content }];
      case 'tool':
        return [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }];
      case 'assistant':
        return [
          // The API rejects empty text blocks; a turn of only tool calls has none.
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: 'tool_use' as const,
            id: call.id,
            name: call.name,
            input: this.parseArguments(call),
          })),
        ];
    }
  }

  private parseArguments(call: ToolCall): unknown {
    try {
      return call.arguments ? (JSON.parse(call.arguments) as unknown) : {};
    } catch {
      throw new LlmError(`${this.id}: arguments of tool call ${call.id} are not JSON`, {
        kind: 'bad_request',
        provider: this.id,
      });
    }
  }
}

function usageOf(usage: Usage | MessageDeltaUsage, knownInput = 0): TokenUsage {
  if (typeof usage.input_tokens !== 'number') {
    return { inputTokens: knownInput, outputTokens: usage.output_tokens };
  }
  // Cached prompt tokens are counted apart from input_tokens; all of them are input.
  const cached = (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  return { inputTokens: usage.input_tokens + cached, outputTokens: usage.output_tokens };
}

function finishReasonOf(reason: StopReason | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'pause_turn':
    case 'refusal':
    case null:
      return 'other';
  }
  // A stop reason newer than this SDK's types.
  return 'other';
}
