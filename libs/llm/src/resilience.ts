import { setTimeout as delay } from 'node:timers/promises';

import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';

import { LlmError, type ChatRequest, type ChatResult, type LlmProvider } from './types';

export interface ResilienceOptions {
  /** Deadline of one attempt, from request to the stream's last event. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Full jitter: the wait before retry n is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A Retry-After up to this long is waited for exactly; a longer one ends the call at once,
   * since the next provider of the chain answers sooner than this one would.
   */
  maxRetryAfterMs: number;
  /** The breaker opens after this many failed attempts in a row and tries again after halfOpenAfterMs. */
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** For logs and metrics: called before each wait. */
  onRetry?: (retry: {
    provider: string;
    attempt: number;
    delayMs: number;
    error: LlmError;
  }) => void;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 30_000,
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 30_000 },
};

/** What says the vendor is in trouble; a bad request or a rejected key says nothing about its health. */
const BREAKING_KINDS = new Set<LlmError['kind']>(['server', 'network', 'timeout', 'rate_limit']);

export type CircuitStatus = 'closed' | 'open' | 'half_open';

/**
 * One provider with a deadline per attempt, retries with backoff, and a circuit breaker. While the
 * breaker is open calls fail at once with LlmError kind `circuit_open` (not retryable). Keep one
 * instance per provider for the life of the process: the breaker's memory is the instance's.
 */
export class ResilientProvider implements LlmProvider {
  readonly id: string;
  private readonly options: ResilienceOptions;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly inner: LlmProvider,
    options: Partial<ResilienceOptions> = {},
  ) {
    this.id = inner.id;
    this.options = { ...DEFAULT_RESILIENCE, ...options };
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof LlmError && BREAKING_KINDS.has(error.kind)),
      {
        halfOpenAfter: this.options.breaker.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.options.breaker.consecutiveFailures),
      },
    );
  }

  get circuit(): CircuitStatus {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half_open';
      case CircuitState.Open:
      case CircuitState.Isolated:
        return 'open';
    }
  }

  complete(request: ChatRequest): Promise<ChatResult> {
    return this.run(
      request,
      (attempt) => this.inner.complete(attempt),
      () => false,
    );
  }

  stream(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    let emitted = false;
    const forward = (text: string) => {
      emitted = true;
      onDelta(text);
    };
    return this.run(
      request,
      (attempt) => this.inner.stream(attempt, forward),
      () => emitted,
    );
  }

  private async run(
    request: ChatRequest,
    call: (attempt: ChatRequest) => Promise<ChatResult>,
    outputStarted: () => boolean,
  ): Promise<ChatResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(request, call);
      } catch (error) {
        // A retry would show the customer the same text twice.
        if (outputStarted()) throw notRetryable(error, 'after output had started');
        const wait = this.retryDelay(error, attempt, request.signal);
        if (wait === null) throw error;
        this.options.onRetry?.({
          provider: this.id,
          attempt,
          delayMs: wait,
          error: error as LlmError,
        });
        await delay(wait, undefined, { signal: request.signal }).catch(() => {
          throw request.signal?.reason;
        });
      }
    }
  }

  private async attempt(
    request: ChatRequest,
    call: (attempt: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    try {
      return await this.breaker.execute(() => call({ ...request, signal }));
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) throw error;
      throw new LlmError(`${this.id}: circuit open, not called`, {
        kind: 'circuit_open',
        provider: this.id,
        cause: error,
      });
    }
  }

  /** Milliseconds to wait before the next attempt, or null when there is none. */
  private retryDelay(error: unknown, attempt: number, signal?: AbortSignal): number | null {
    if (signal?.aborted || !(error instanceof LlmError) || !error.retryable) return null;
    if (attempt >= this.options.maxAttempts) return null;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= this.options.maxRetryAfterMs ? error.retryAfterMs : null;
    }
    const ceiling = Math.min(
      this.options.maxDelayMs,
      this.options.baseDelayMs * 2 ** (attempt - 1),
    );
    return Math.random() * ceiling;
  }
}

function notRetryable(error: unknown, why: string): unknown {
  if (!(error instanceof LlmError) || !error.retryable) return error;
  return new LlmError(`${error.message} (${why}; not retried)`, {
    kind: error.kind,
    provider: error.provider,
    retryable: false,
    cause: error,
    ...(error.status !== undefined ? { status: error.status } : {}),
  });
}
