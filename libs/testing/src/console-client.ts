import type { HttpResult } from './http';

/** A message of a ticket's transcript as the console shows it to the agent. */
export interface TicketMessage {
  role: string;
  text: string;
}

/** An agent signed in to the console's API: its session cookie and CSRF token ride along. */
export interface ConsoleSession {
  call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<HttpResult<T>>;
  /** The ticket's transcript. The ticket actions below throw unless the console accepts. */
  ticketMessages(ticketId: string): Promise<TicketMessage[]>;
  claim(ticketId: string): Promise<void>;
  reply(ticketId: string, text: string): Promise<void>;
  resolve(ticketId: string): Promise<void>;
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
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
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
  }
  async function expectStatus<T>(
    status: number,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) {
    const result = await call<T>(method, path, body);
    if (result.status !== status) {
      throw new Error(
        `${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`,
      );
    }
    return result.body;
  }
  return {
    call,
    async ticketMessages(ticketId) {
      const detail = await expectStatus<{ messages: TicketMessage[] }>(
        200,
        'GET',
        `/tickets/${ticketId}`,
      );
      return detail.messages;
    },
    async claim(ticketId) {
      await expectStatus(200, 'POST', `/tickets/${ticketId}/claim`);
    },
    async reply(ticketId, text) {
      await expectStatus(201, 'POST', `/tickets/${ticketId}/reply`, { text });
    },
    async resolve(ticketId) {
      await expectStatus(200, 'POST', `/tickets/${ticketId}/resolve`);
    },
  };
}
