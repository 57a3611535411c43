/** A call the model asked for; `arguments` is the model's JSON text, unparsed and unvalidated. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Parley's own message shape: every vendor adapter maps from this, nothing else does. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content?: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A JSON Schema describing a tool's arguments; its top level is always an object. */
export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [keyword: string]: unknown;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchemaObject;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens: number;
  temperature?: number;
  /** Aborting it ends the call: a `TimeoutError` reason becomes LlmError 'timeout', any other is rethrown. */
  signal?: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'other';

export interface ChatResult {
  text: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  /** The model the server says answered (may be a dated snapshot of the configured one). */
  model: string;
  /** The answering provider's id, e.g. `openai:gpt-4o-mini`: tells which link of a chain answered. */
  provider: string;
  finishReason: FinishReason;
}

export interface LlmProvider {
  /** `vendor:model`, e.g. `openai:gpt-4o-mini`; unique within one fallback chain. */
  readonly id: string;
  complete(request: ChatRequest): Promise<ChatResult>;
  /** Calls onDelta with each text fragment in order; resolves with the whole result, tool calls included. */
  stream(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult>;
}

/** How the wire protocol of every adapter is configured (one provider = one endpoint + model). */
export interface ProviderConfig {
  /** OpenAI-compatible: up to and including `/v1`; Anthropic: the origin, without `/v1`. */
  baseURL: string;
  apiKey: string;
  model: string;
  /** Extra headers on every request (gateway keys, org ids, tracing). */
  headers?: Record<string, string>;
  /** Deadline of one HTTP call, from request to the stream's last event. */
  timeoutMs: number;
  /** Overrides `vendor:model` when two endpoints serve the same model (OpenAI and a gateway). */
  id?: string;
}

/**
 * Why a call failed. `circuit_open` is ResilientProvider failing fast without calling the vendor
 * while its breaker is open; it is not retryable, so a fallback chain moves straight on.
 */
export type LlmErrorKind =
  'rate_limit' | 'server' | 'timeout' | 'network' | 'auth' | 'bad_request' | 'circuit_open';

const RETRYABLE: Record<LlmErrorKind, boolean> = {
  rate_limit: true,
  server: true,
  timeout: true,
  network: true,
  auth: false,
  bad_request: false,
  circuit_open: false,
};

export interface LlmErrorInit {
  kind: LlmErrorKind;
  provider: string;
  /** Defaults by kind: rate limits, server errors, timeouts and network errors are retryable. */
  retryable?: boolean;
  retryAfterMs?: number;
  status?: number;
  cause?: unknown;
}

/** The one error type a provider throws for a vendor failure, whatever the SDK threw. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly provider: string;

  constructor(message: string, init: LlmErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'LlmError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.retryable = init.retryable ?? RETRYABLE[init.kind];
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.status !== undefined) this.status = init.status;
  }
}
