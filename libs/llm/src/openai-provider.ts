import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

import { toLlmError, withDeadline } from './sdk-errors';
import {
  LlmError,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type LlmProvider,
  type ProviderConfig,
  type ToolCall,
} from './types';

const SDK_ERRORS = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export interface OpenAIProviderConfig extends ProviderConfig {
  /**
   * OpenAI's current models take `max_completion_tokens` (and reject `max_tokens`); older
   * OpenAI-compatible servers only know `max_tokens`.
   */
  maxTokensParam?: 'max_completion_tokens' | 'max_tokens';
}

/**
 * Chat Completions over the official SDK: OpenAI itself and everything that speaks its protocol
 * (Azure-style gateways, Ollama, vLLM, llama.cpp server).
 */
export class OpenAIProvider implements LlmProvider {
  readonly id: string;
  private readonly client: OpenAI;

  constructor(private readonly config: OpenAIProviderConfig) {
    this.id = config.id ?? `openai:${config.model}`;
    this.client = new OpenAI({
      baseURL: config.baseURL,
      apiKey: config.apiKey,
      defaultHeaders: config.headers ?? {},
      // Explicit, so the SDK does not pick OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment.
      organization: null,
      project: null,
      // A backstop only: Parley's own deadline fires first, and covers the stream as well.
      timeout: config.timeoutMs + 1_000,
      // Retries belong to ResilientProvider, which knows about streams and the breaker.
      maxRetries: 0,
    });
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const signal = withDeadline(request.signal, this.config.timeoutMs);
    try {
      const response = await this.client.chat.completions.create(
        { ...this.body(request), stream: false },
        { signal },
      );
      const choice = response.choices[0];
      if (!choice)
        throw new LlmError(`${this.id}: no choices`, { kind: 'server', provider: this.id });
      return {
        text: choice.message.content ?? '',
        toolCalls: (choice.message.tool_calls ?? []).flatMap((call) =>
          call.type === 'function'
            ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
            : [],
        ),
        usage: usageOf(response.usage),
        model: response.model || this.config.model,
        provider: this.id,
        finishReason: finishReasonOf(choice.finish_reason),
      };
    } catch (error) {
      throw toLlmError(error, this.id, SDK_ERRORS, signal);
    }
  }

  async stream(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    const signal = withDeadline(request.signal, this.config.timeoutMs);
    try {
      const chunks = await this.client.chat.completions.create(
        { ...this.body(request), stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      let text = '';
      let model = this.config.model;
      let usage = usageOf(undefined);
      let finish: WireFinishReason | null = null;
      // Tool calls arrive as fragments keyed by index: id and name first, arguments in pieces.
      const calls = new Map<number, ToolCall>();
      for await (const chunk of chunks) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = usageOf(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        const content = choice.delta.content;
        if (content) {
          text += content;
          onDelta(content);
        }
        for (const part of choice.delta.tool_calls ?? []) {
          const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
          calls.set(part.index, call);
          if (part.id) call.id = part.id;
          if (part.function?.name && !call.name) call.name = part.function.name;
          call.arguments += part.function?.arguments ?? '';
        }
        finish = choice.finish_reason ?? finish;
      }
      // The SDK ends the loop quietly when the signal aborts mid-body.
      signal.throwIfAborted();
      if (finish === null) {
        throw new LlmError(`${this.id}: stream ended before a finish_reason`, {
          kind: 'network',
          provider: this.id,
        });
      }
      return {
        text,
        toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
        usage,
        model,
        provider: this.id,
        finishReason: finishReasonOf(finish),
      };
    } catch (error) {
      throw toLlmError(error, this.id, SDK_ERRORS, signal);
    }
  }

  private body(request: ChatRequest): ChatCompletionCreateParamsBase {
    const maxTokens =
      (this.config.maxTokensParam ?? 'max_completion_tokens') === 'max_tokens'
        ? { max_tokens: request.maxTokens }
        : { max_completion_tokens: request.maxTokens };
    return {
      model: this.config.model,
      messages: request.messages.map(toOpenAIMessage),
      ...maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // Some compatible servers reject an empty tools array, so none is sent instead.
      ...(request.tools?.length
        ? {
            tools: request.tools.map((tool) => ({
              type: 'function' as const,
              function: {
                name: tool.name,
                description: tool.description,
                parameters: tool.parameters,
              },
            })),
          }
        : {}),
    };
  }
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content ?? null,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function usageOf(usage: ChatCompletion['usage'] | undefined) {
  // Some compatible servers omit usage; zero then stands for "not reported".
  return { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
}

type WireFinishReason = ChatCompletion['choices'][number]['finish_reason'];

function finishReasonOf(reason: WireFinishReason): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'other';
  }
  // A compatible server's own reason (vLLM, llama.cpp), or one newer than this SDK's types.
  return 'other';
}
