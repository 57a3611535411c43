import { renderTemplate, type HttpTool } from '@parley/assistant';

import type { ToolCallContext } from './tool-result';

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

/**
 * Calls one declarative HTTP tool. Arguments are URL-encoded where they land in the URL;
 * secrets may appear only in headers and query (the loader checks that).
 */
export async function callHttpTool(
  tool: HttpTool,
  args: Record<string, unknown>,
  context: ToolCallContext & { idempotencyKey: string },
  settings: ToolSettings,
): Promise<{ outcome: string; fields: Record<string, unknown> }> {
  const values = { ...args, customer: { id: context.customerId }, ...settings };
  const encoded = Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, encodeURIComponent(String(v))]),
  );
  const url = new URL(
    renderTemplate(tool.url, { ...encoded, customer: { id: context.customerId }, ...settings }),
  );
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
    signal: AbortSignal.timeout(tool.timeout_ms),
  });
  const text = await response.text();
  const declared = tool.status_outcomes[String(response.status)];
  if (!declared && !response.ok) {
    throw new Error(`HTTP ${response.status} from ${tool.method} ${url.origin}${url.pathname}`);
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
