import { LlmError, type LlmErrorKind } from './types';

/** What both official SDKs' APIError carries (they are generated from one template). */
interface SdkApiError extends Error {
  status: number | undefined;
  headers: Headers | undefined;
  type?: string | null;
  code?: string | null;
}

type SdkErrorClass = abstract new (...args: never[]) => SdkApiError;

/** The SDK's own error classes, passed in so this module imports neither SDK. */
export interface SdkErrorClasses {
  APIError: SdkErrorClass;
  APIConnectionError: SdkErrorClass;
  APIConnectionTimeoutError: SdkErrorClass;
  APIUserAbortError: SdkErrorClass;
}

/** Reads `retry-after-ms` (OpenAI's, precise) before `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The caller's signal (if any) bounded by a deadline covering the whole call, stream included. */
export function withDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const deadline = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/**
 * What an aborted signal means: a `TimeoutError` reason (AbortSignal.timeout, ResilientProvider)
 * is a retryable timeout; any other reason is the caller cancelling, passed on untouched.
 */
export function abortOutcome(signal: AbortSignal, provider: string): unknown {
  const reason: unknown = signal.reason;
  if ((reason as { name?: unknown } | null)?.name !== 'TimeoutError') return reason;
  return new LlmError(`${provider}: timed out`, { kind: 'timeout', provider, cause: reason });
}

/** Maps whatever an SDK call threw to LlmError; errors that are not the vendor's pass through. */
export function toLlmError(
  error: unknown,
  provider: string,
  sdk: SdkErrorClasses,
  signal?: AbortSignal,
): unknown {
  if (error instanceof LlmError) return error;
  if (signal?.aborted) return abortOutcome(signal, provider);
  if (error instanceof sdk.APIConnectionTimeoutError || error instanceof sdk.APIUserAbortError) {
    return new LlmError(`${provider}: timed out`, { kind: 'timeout', provider, cause: error });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new LlmError(`${provider}: ${error.message}`, {
      kind: 'network',
      provider,
      cause: error,
    });
  }
  if (error instanceof sdk.APIError) {
    const status = error.status;
    const retryAfter = retryAfterMs(error.headers);
    return new LlmError(`${provider}: ${error.message}`, {
      kind: kindOf(status, error.type ?? undefined),
      provider,
      cause: error,
      ...(status !== undefined ? { status } : {}),
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
      ...retryOverride(status, error.code ?? undefined),
    });
  }
  if (isNetworkError(error)) {
    const message = String((error as { message?: unknown }).message);
    return new LlmError(`${provider}: ${message}`, { kind: 'network', provider, cause: error });
  }
  return error;
}

function kindOf(status: number | undefined, type: string | undefined): LlmErrorKind {
  // No status: an error event inside a 200 stream; its type says what went wrong.
  if (status === undefined) {
    if (type === 'rate_limit_error') return 'rate_limit';
    if (type === 'authentication_error' || type === 'permission_error') return 'auth';
    if (type === 'invalid_request_error') return 'bad_request';
    return 'server';
  }
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  // 409 is a lock conflict on the vendor's side; the SDKs retry it too.
  if (status === 409 || status >= 500) return 'server';
  return 'bad_request';
}

function retryOverride(status: number | undefined, code: string | undefined) {
  // An exhausted quota answers 429 too, but waiting does not refill it.
  if (status === 429 && code === 'insufficient_quota') return { retryable: false };
  if (status === 501) return { retryable: false };
  return {};
}

/**
 * undici's errors for a connection that failed or broke while a body was being read. Checked by
 * name, not instanceof: they may come from another realm (Node's own, seen from a vm context).
 */
function isNetworkError(error: unknown): boolean {
  const { name, message, code } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
  };
  if (name === 'TypeError' && (message === 'terminated' || message === 'fetch failed')) return true;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code);
}
