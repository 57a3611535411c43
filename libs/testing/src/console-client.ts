import type { HttpResult } from './http';

/** An agent signed in to the console's API: its session cookie and CSRF token ride along. */
export interface ConsoleSession {
  call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<HttpResult<T>>;
}

/** Signs in at `<consoleUrl>/console/api/login`; fails the test unless the console accepts. */
export async function signInToConsole(
  consoleUrl: string,
  email: string,
  password: string,
): Promise<ConsoleSession> {
  const login = await fetch(`${consoleUrl}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) {
    throw new Error(`console login answered ${login.status}: ${await login.text()}`);
  }
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const response = await fetch(`${consoleUrl}/console/api${path}`, {
        method,
        headers: {
          cookie,
          ...(method === 'POST' ? { 'x-csrf-token': csrfToken } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const raw = await response.text();
      return { status: response.status, body: (raw ? JSON.parse(raw) : {}) as T };
    },
  };
}
