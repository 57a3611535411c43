import { renderTemplate, type HttpTool } from '@parley/assistant';

import { FORBIDDEN, type ToolCallContext } from './tool-result';

export interface ToolSettings {
  config: Record<string, string>;
  secret: Record<string, string>;
}

/** Follows `$.a.b[0].c` into a parsed JSON body. */
export function readJsonPath(body: unknown, path: string): unknown {
  let value = body;
  for (const step of path.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A non-2xx status the tool does not declare as an outcome. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** From the response's Retry-After header, when it has one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/** The tool's URL for a call, before its query; arguments are URL-encoded where they land. */
export function httpToolUrl(
  tool: HttpTool,
  args: Record<string, unknown>,
  context: ToolCallContext,
  settings: ToolSettings,
): URL {
  const encoded = Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, encodeURIComponent(String(v))]),
  );
  return new URL(
    renderTemplate(tool.url, { ...encoded, customer: { id: context.customerId }, ...settings }),
  );
}

/**
 * Makes one request for a declarative HTTP tool, ended by `signal` (default: the tool's timeout).
 * Secrets may appear only in headers and query (the loader checks that).
 */
export async function callHttpTool(
  tool: HttpTool,
  args: Record<string, unknown>,
  context: ToolCallContext & { idempotencyKey: string },
  settings: ToolSettings,
  signal: AbortSignal = AbortSignal.timeout(tool.timeout_ms),
): Promise<{ outcome: string; fields: Record<string, unknown> }> {
  const values = { ...args, customer: { id: context.customerId }, ...settings };
  const url = httpToolUrl(tool, args, context, settings);
  for (const [name, template] of Object.entries(tool.query)) {
    url.searchParams.set(name, renderTemplate(template, values));
  }
  // The same key on a replayed turn lets the business API drop the repeat.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'idempotency-key': context.idempotencyKey,
  };
  for (const [name, template] of Object.entries(tool.headers)) {
    headers[name] = renderTemplate(template, values);
  }
  let body: string | undefined;
  if (tool.body) {
    body = JSON.stringify(
      Object.fromEntries(
        Object.entries(tool.body).map(([field, template]) => {
          // A template that is one placeholder keeps the argument's type (numbers stay numbers).
          const single = /^\{(\w+)\}$/.exec(template);
          return [
            field,
            single && single[1]! in args ? args[single[1]!] : renderTemplate(template, values),
          ];
        }),
      ),
    );
  } else if (tool.method !== 'GET' && tool.method !== 'DELETE') {
    body = JSON.stringify(args);
  }
  if (body !== undefined) headers['content-type'] = 'application/json';

  const response = await fetch(url, {
    method: tool.method,
    headers,
    ...(body !== undefined ? { body } : {}),
    signal,
  });
  const text = await response.text();
  // 403 is the business's API refusing this customer (another customer's order): never a failure.
  const declared =
    tool.status_outcomes[String(response.status)] ??
    (response.status === 403 ? FORBIDDEN : undefined);
  if (!declared && !response.ok) {
    throw new HttpStatusError(
      `HTTP ${response.status} from ${tool.method} ${url.origin}${url.pathname}`,
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A declared outcome needs no body; a success without a JSON body cannot fill its fields.
    if (!declared) throw new Error(`response of ${tool.method} ${url.pathname} is not JSON`);
  }
  // The response mapping applies whatever the status: a 422 may still say how many days it was.
  const fields = Object.fromEntries(
    Object.entries(tool.response).map(([field, path]) => [field, readJsonPath(parsed, path)]),
  );
  if (declared) return { outcome: declared, fields };
  const outcome =
    typeof fields.outcome === 'string' && tool.outcomes.includes(fields.outcome)
      ? fields.outcome
      : 'success';
  return { outcome, fields };
}

/** Retry-After is delay-seconds or an HTTP date; anything else is ignored. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}
