import { setTimeout as delay } from 'node:timers/promises';

import { isIdempotent, type Tool } from '@parley/assistant';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';

import { HttpStatusError } from './http-tool';
import { ToolOutcome } from './tool-result';

export interface BreakerSettings {
  /** Failed requests in a row that open a connector's breaker. */
  threshold: number;
  /** How long an open breaker fails calls at once before it lets one trial call through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { threshold: 5, halfOpenAfterMs: 30_000 };

/** Requests in all for an idempotent tool, the first included. */
const MAX_ATTEMPTS = 3;
/** Retries end within the tool's timeout and at most this long after the first request began. */
const RETRY_BUDGET_MS = 5_000;
/** Full jitter: the wait before retry n is random in [0, BASE_DELAY_MS * 2^(n-1)). */
const BASE_DELAY_MS = 200;
/** A retry with less time left than this could only time out. */
const MIN_ATTEMPT_MS = 100;
/** Rate limited, or a gateway between us and the API that may answer on the next try. */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

/**
 * How tool calls reach their connectors (an HTTP tool's origin, or a code tool): through a circuit
 * breaker per connector, and for idempotent tools with retries of transient failures. Keep one
 * instance for the life of the process: the breakers' memory is the instance's.
 */
export class ConnectorPolicy {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(private readonly settings: BreakerSettings = DEFAULT_BREAKER) {}

  /**
   * Runs `request` for `tool` against `connector`; each request gets a signal that ends it in
   * time. A declared outcome (a return value or ToolOutcome) is never retried and never counts
   * against the connector.
   */
  async call<T>(
    connector: string,
    tool: Tool,
    request: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const breaker = this.breakerFor(connector, tool);
    // Code tools declare no timeout: they keep their own, and only the budget bounds retries.
    const timeoutMs = tool.type === 'http' ? tool.timeout_ms : RETRY_BUDGET_MS;
    const deadline = Date.now() + Math.min(timeoutMs, RETRY_BUDGET_MS);
    const attempts = isIdempotent(tool) ? MAX_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(attempt === 1 ? timeoutMs : deadline - Date.now());
      try {
        return await breaker.execute(() => request(signal));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new Error(`connector ${connector} unavailable (circuit open)`, { cause: error });
        }
        const wait = attempt < attempts && isTransient(error) ? retryDelay(error, attempt) : null;
        // A retry into a circuit that just opened would only hide the real error.
        if (wait === null || breaker.state === CircuitState.Open) throw error;
        if (Date.now() + wait + MIN_ATTEMPT_MS > deadline) throw error;
        await delay(wait);
      }
    }
  }

  private breakerFor(connector: string, tool: Tool): CircuitBreakerPolicy {
    let breaker = this.breakers.get(connector);
    if (!breaker) {
      // Code is a black box: any error but a declared outcome is its failure.
      const failed =
        tool.type === 'http' ? isConnectorFailure : (e: Error) => !(e instanceof ToolOutcome);
      breaker = circuitBreaker(handleWhen(failed), {
        halfOpenAfter: this.settings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.threshold),
      });
      this.breakers.set(connector, breaker);
    }
    return breaker;
  }
}

/** Says the connector is unwell: a 5xx, a 429, a timeout or a network error, not a refusal. */
function isConnectorFailure(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 429;
  return isTimeout(error) || isNetworkError(error);
}

/** May succeed if asked again shortly. */
function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return TRANSIENT_STATUSES.has(error.status);
  return isTimeout(error) || isNetworkError(error);
}

/** Milliseconds before retry `attempt`: what the server's Retry-After asked, else backoff. */
function retryDelay(error: unknown, attempt: number): number {
  if (error instanceof HttpStatusError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs;
  }
  return Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1);
}

// fetch's errors come from Node's own realm, not always this one's: compared by name.
const isTimeout = (error: unknown) => (error as { name?: unknown } | null)?.name === 'TimeoutError';
/** fetch rejects a refused or reset connection, or a failed DNS lookup, with this. */
const isNetworkError = (error: unknown) =>
  (error as { name?: unknown } | null)?.name === 'TypeError' &&
  (error as { message?: unknown }).message === 'fetch failed';
