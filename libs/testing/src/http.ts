export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** POST /api/v1/messages with JSON, returning status and parsed body. */
export async function postMessage<T = Record<string, unknown>>(
  baseUrl: string,
  body: unknown,
  options: { wait?: boolean; idempotencyKey?: string } = {},
): Promise<HttpResult<T>> {
  const query = options.wait === false ? '?wait=false' : '';
  const response = await fetch(`${baseUrl}/api/v1/messages${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<HttpResult<T>> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}
