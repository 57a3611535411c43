import { randomUUID } from 'node:crypto';

import type { PostMessageResponse, TranscriptResponse } from '@parley/contracts';
import {
  eventually,
  getJson,
  postMessage,
  query,
  seedDemoKnowledge,
  startApp,
  startSuite,
  type RunningApp,
  type Suite,
} from '@parley/testing';

import { hashPassword } from '../src/auth/password';

interface Session {
  cookie: string;
  csrf: string;
}

const PASSWORD = 'a long test password';
const LOGIN_LIMIT = 5;
const BOOTSTRAP_EMAIL = `first-admin-${randomUUID().slice(0, 8)}@example.com`;

describe('console', () => {
  let suite: Suite;
  let consoleApp: RunningApp;
  const agents: Record<
    'admin' | 'dana' | 'eli' | 'locked' | 'otherAdmin',
    { id: string; email: string }
  > = {} as never;

  async function createAgent(
    key: keyof typeof agents,
    role: 'agent' | 'admin',
    assistantId = 'demo',
  ) {
    const id = randomUUID();
    const email = `${key.toLowerCase()}-${id.slice(0, 8)}@example.com`;
    await query(
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1, $2, $3, $4, $5::"AgentRole", $6)`,
      [id, assistantId, email, key, role, await hashPassword(PASSWORD)],
    );
    agents[key] = { id, email };
  }

  async function login(
    email: string,
    password = PASSWORD,
    assistant?: string,
  ): Promise<{ status: number; session?: Session; response: Response }> {
    const response = await fetch(`${consoleApp.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, ...(assistant ? { assistant } : {}) }),
    });
    if (response.status !== 200) return { status: response.status, response };
    const body = (await response.json()) as { csrfToken: string };
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { status: 200, session: { cookie, csrf: body.csrfToken }, response };
  }

  async function signIn(key: keyof typeof agents, assistant?: string): Promise<Session> {
    const result = await login(agents[key].email, PASSWORD, assistant);
    expect(result.status).toBe(200);
    return result.session!;
  }

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { session?: Session; csrf?: boolean | string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (options.session) headers.cookie = options.session.cookie;
    if (options.session && options.csrf !== false && method !== 'GET') {
      headers['x-csrf-token'] =
        typeof options.csrf === 'string' ? options.csrf : options.session.csrf;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const response = await fetch(`${consoleApp.url}/console/api${path}`, {
      method,
      headers,
      signal: controller.signal,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, body: {} as T };
    }
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** A web customer who asked for a human, and a ticket for their conversation. */
  async function escalatedTicket(priority = 2): Promise<{
    userId: string;
    conversationId: string;
    ticketId: string;
  }> {
    const userId = `user-${randomUUID()}`;
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId,
      text: 'I want to talk to a human',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('handoff');
    // The orchestrator opens the ticket as the escalating turn commits.
    const ticketId = await eventually(async () => {
      const [row] = await query<{ id: string }>(
        `SELECT id FROM handoff_tickets WHERE conversation_id = $1`,
        [res.body.conversationId],
      );
      return row?.id;
    });
    await query(
      `UPDATE handoff_tickets SET priority = $2, sla_due_at = now() + interval '5 minutes'
       WHERE id = $1`,
      [ticketId, priority],
    );
    return { userId, conversationId: res.body.conversationId, ticketId };
  }

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'console' });
    consoleApp = await startApp('console', {
      ...suite.env,
      CONSOLE_COOKIE_SECURE: 'false',
      CONSOLE_LOGIN_ATTEMPTS_PER_15_MIN: String(LOGIN_LIMIT),
      CONSOLE_ADMIN_EMAIL: BOOTSTRAP_EMAIL,
      CONSOLE_ADMIN_PASSWORD: PASSWORD,
    });
    await createAgent('admin', 'admin');
    await createAgent('dana', 'agent');
    await createAgent('eli', 'agent');
    await createAgent('otherAdmin', 'admin', 'other');
  });

  afterAll(async () => {
    await consoleApp?.stop();
    await suite?.stop();
  });

  describe('access rules, endpoint by endpoint', () => {
    let ticketId: string;
    const experimentId = randomUUID();
    const endpoints = () =>
      [
        ['GET', '/me'],
        ['POST', '/logout'],
        ['GET', '/tickets'],
        ['GET', `/tickets/${ticketId}`],
        ['POST', `/tickets/${ticketId}/claim`],
        ['POST', `/tickets/${ticketId}/assign`, { agentId: agents.dana.id }],
        ['POST', `/tickets/${ticketId}/reply`, { text: 'hello' }],
        ['POST', `/tickets/${ticketId}/notes`, { text: 'a note' }],
        ['POST', `/tickets/${ticketId}/resolve`],
        ['GET', '/search?q=human'],
        ['GET', `/tickets/${ticketId}/events`],
        ['GET', '/agents'],
        ['POST', '/agents', { email: 'new@example.com', name: 'New' }],
        ['GET', '/analytics'],
        ['GET', '/analytics/low-rated'],
        ['GET', '/experiments'],
        ['POST', '/experiments', { key: 'access-rules' }],
        ['POST', `/experiments/${experimentId}/start`],
        ['POST', `/experiments/${experimentId}/stop`],
        ['GET', `/experiments/${experimentId}/results`],
      ] as const;
    const ticketEndpoints = () => endpoints().filter(([, path]) => path.includes(ticketId));

    beforeAll(async () => {
      ({ ticketId } = await escalatedTicket());
    });

    it('refuses every endpoint without a session (401)', async () => {
      for (const [method, path, body] of endpoints()) {
        const res = await call<{ error: { code: string } }>(method, path, { body });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
        expect(res.body.error.code).toBe('unauthorized');
      }
      const forged = await call('GET', '/me', {
        session: { cookie: 'parley_console=forged', csrf: 'x' },
      });
      expect(forged.status).toBe(401);
    });

    it('refuses every state-changing endpoint without the CSRF header, or with a wrong one (403)', async () => {
      const session = await signIn('admin');
      for (const [method, path, body] of endpoints().filter(([m]) => m === 'POST')) {
        for (const csrf of [false, 'wrong-token'] as const) {
          const res = await call<{ error: { code: string } }>(method, path, {
            session,
            csrf,
            body,
          });
          expect({ path, csrf, status: res.status }).toEqual({ path, csrf, status: 403 });
          expect(res.body.error.code).toBe('csrf_token_invalid');
        }
      }
      const ticket = await query<{ status: string }>(
        'SELECT status FROM handoff_tickets WHERE id = $1',
        [ticketId],
      );
      expect(ticket[0]!.status).toBe('open');
      expect((await call('GET', '/me', { session })).status).toBe(200);
    });

    it('answers 404 to an admin of another assistant on every ticket endpoint', async () => {
      const session = await signIn('otherAdmin', 'other');
      for (const [method, path, body] of ticketEndpoints()) {
        const res = await call<{ error: { code: string } }>(method, path, { session, body });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      const inbox = await call<{ tickets: { id: string }[] }>('GET', '/tickets', { session });
      expect(inbox.body.tickets.map((t) => t.id)).not.toContain(ticketId);
      const search = await call<{ results: unknown[] }>('GET', '/search?q=talk to a human', {
        session,
      });
      expect(search.body.results).toEqual([]);
      const list = await call<{ agents: { id: string }[] }>('GET', '/agents', { session });
      expect(list.body.agents.map((a) => a.id)).toEqual([agents.otherAdmin.id]);
      const ticket = await query<{ status: string; n: number }>(
        `SELECT t.status, (SELECT count(*)::int FROM ticket_notes n WHERE n.ticket_id = t.id) AS n
         FROM handoff_tickets t WHERE t.id = $1`,
        [ticketId],
      );
      expect(ticket[0]).toEqual({ status: 'open', n: 0 });
    });

    it('keeps admin endpoints from agents (403)', async () => {
      const session = await signIn('dana');
      for (const [method, path, body] of endpoints().filter(
        ([m, p]) =>
          p.startsWith('/agents') ||
          p.endsWith('/assign') ||
          (m === 'POST' && p.startsWith('/experiments')),
      )) {
        const res = await call<{ error: { code: string } }>(method, path, { session, body });
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
    });
  });

  describe('sign-in', () => {
    it('creates the first admin from CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD', async () => {
      const result = await login(BOOTSTRAP_EMAIL);
      expect(result.status).toBe(200);
      const me = await call<{ agent: { role: string } }>('GET', '/me', {
        session: result.session!,
      });
      expect(me.body.agent.role).toBe('admin');
      const [row] = await query<{ password_hash: string }>(
        'SELECT password_hash FROM agents WHERE email = $1',
        [BOOTSTRAP_EMAIL],
      );
      expect(row!.password_hash).toMatch(/^scrypt\$/);
    });

    it('serves the page under a strict CSP', async () => {
      const page = await fetch(`${consoleApp.url}/console`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(
        /^default-src 'self'; script-src 'self';/,
      );
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toMatch(/<script src="\/console\/console.js" defer><\/script>/);
      const script = await (await fetch(`${consoleApp.url}/console/console.js`)).text();
      expect(script).not.toMatch(/innerHTML|insertAdjacentHTML|eval\(/);
    });

    it('refuses a wrong password and an unknown email alike', async () => {
      const wrong = await login(agents.eli.email, 'not the password');
      const unknown = await login(`nobody-${randomUUID()}@example.com`, PASSWORD);
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.response.json()).toEqual(await unknown.response.json());
    });

    it(`refuses the ${LOGIN_LIMIT + 1}th attempt for one email within 15 minutes with 429 and Retry-After`, async () => {
      await createAgent('locked', 'agent');
      for (let i = 0; i < LOGIN_LIMIT; i++) {
        expect((await login(agents.locked.email, `guess ${i}`)).status).toBe(401);
      }
      // Even the right password: the email is locked until the window ends.
      const refused = await login(agents.locked.email, PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.response.json()) as { error: { code: string } }).error.code).toBe(
        'too_many_attempts',
      );
    });

    it('sets an HttpOnly, SameSite=Strict session cookie; logout ends the session', async () => {
      const result = await login(agents.dana.email);
      const cookie = result.response.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^parley_console=[\w-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\//);
      const session = result.session!;
      const stored = await query<{ id: string }>(
        'SELECT id FROM agent_sessions WHERE agent_id = $1',
        [agents.dana.id],
      );
      // Only a digest of the cookie is stored.
      expect(stored.map((s) => s.id)).not.toContain(session.cookie.split('=')[1]);

      expect((await call('GET', '/me', { session })).status).toBe(200);
      const out = await fetch(`${consoleApp.url}/console/api/logout`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
      expect((await call('GET', '/me', { session })).status).toBe(401);
    });

    it('removes expired sessions at the next sign-in, and only those', async () => {
      const live = (await login(agents.eli.email)).session!;
      const expired = `expired-${randomUUID()}`;
      await query(
        `INSERT INTO agent_sessions (id, agent_id, csrf_token, expires_at)
         VALUES ($1, $2, 'x', now() - interval '1 minute')`,
        [expired, agents.eli.id],
      );
      await login(agents.dana.email);
      expect(await query('SELECT 1 FROM agent_sessions WHERE id = $1', [expired])).toEqual([]);
      expect((await call('GET', '/me', { session: live })).status).toBe(200);
    });
  });

  describe('tickets', () => {
    it('lets exactly one of two agents claiming at once have the ticket', async () => {
      const { ticketId } = await escalatedTicket();
      const [dana, eli] = await Promise.all([signIn('dana'), signIn('eli')]);
      const results = await Promise.all([
        call('POST', `/tickets/${ticketId}/claim`, { session: dana }),
        call('POST', `/tickets/${ticketId}/claim`, { session: eli }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const [row] = await query<{ status: string; assigned_agent_id: string }>(
        'SELECT status, assigned_agent_id FROM handoff_tickets WHERE id = $1',
        [ticketId],
      );
      const winner = results[0].status === 200 ? agents.dana.id : agents.eli.id;
      expect(row).toEqual({ status: 'claimed', assigned_agent_id: winner });
    });

    it('lists the inbox with filters and SLA state', async () => {
      const { ticketId } = await escalatedTicket(4);
      const session = await signIn('dana');
      // Overdue just before the read: the orchestrator's SLA sweep (every few seconds) would
      // escalate it and give it a new due time, had a sign-in's hashing stood in between.
      await query(
        `UPDATE handoff_tickets SET sla_due_at = now() - interval '1 minute' WHERE id = $1`,
        [ticketId],
      );
      const inbox = await call<{
        tickets: { id: string; priority: number; slaBreached: boolean; status: string }[];
      }>('GET', '/tickets?status=open&assigned=unassigned', { session });
      expect(inbox.status).toBe(200);
      const mine = inbox.body.tickets.find((t) => t.id === ticketId)!;
      expect(mine).toMatchObject({ priority: 4, slaBreached: true, status: 'open' });
      // Most urgent first: 4 is the highest priority there is.
      expect(inbox.body.tickets[0]!.priority).toBe(4);
      const claimed = await call<{ tickets: { id: string }[] }>('GET', '/tickets?assigned=me', {
        session,
      });
      expect(claimed.body.tickets.map((t) => t.id)).not.toContain(ticketId);
    });

    it("delivers an agent's reply to the web customer through outbound.web", async () => {
      const { conversationId, ticketId } = await escalatedTicket();
      const session = await signIn('dana');
      expect(
        (await call('POST', `/tickets/${ticketId}/reply`, { session, body: { text: 'x' } })).status,
      ).toBe(409);
      expect((await call('POST', `/tickets/${ticketId}/claim`, { session })).status).toBe(200);
      const reply = await call<{ id: string }>('POST', `/tickets/${ticketId}/reply`, {
        session,
        body: { text: 'Hi, Dana here. I see card 4111 1111 1111 1111 on file; let me check.' },
      });
      expect(reply.status).toBe(201);

      const transcript = await eventually(async () => {
        const res = await getJson<TranscriptResponse>(
          `${suite.web.url}/api/v1/conversations/${conversationId}/messages`,
        );
        return res.body.messages.some((m) => m.role === 'agent') ? res.body : undefined;
      });
      const agentMessage = transcript.messages.find((m) => m.role === 'agent')!;
      expect(agentMessage.id).toBe(reply.body.id);
      expect(agentMessage.text).toMatch(/^Hi, Dana here\. I see card •••• 1111 on file/);
      expect(agentMessage.text).not.toMatch(/4111 1111/);
      await eventually(async () => {
        const [row] = await query<{ delivery_status: string }>(
          'SELECT delivery_status FROM messages WHERE id = $1',
          [reply.body.id],
        );
        return row?.delivery_status === 'sent' ? true : undefined;
      });

      const note = await call('POST', `/tickets/${ticketId}/notes`, {
        session,
        body: { text: 'Customer is polite; refund likely.' },
      });
      expect(note.status).toBe(201);
      const detail = await call<{
        ticket: { status: string };
        messages: { id: string; role: string }[];
        notes: { text: string; agentName: string }[];
      }>('GET', `/tickets/${ticketId}`, { session });
      expect(detail.body.ticket.status).toBe('claimed');
      expect(detail.body.messages[0]!.role).toBe('user');
      expect(detail.body.messages).toContainEqual(
        expect.objectContaining({ id: reply.body.id, role: 'agent' }),
      );
      expect(detail.body.notes).toMatchObject([
        { text: 'Customer is polite; refund likely.', agentName: 'dana' },
      ]);
      // Notes are internal: the customer's transcript never has them.
      const after = await getJson<TranscriptResponse>(
        `${suite.web.url}/api/v1/conversations/${conversationId}/messages`,
      );
      expect(JSON.stringify(after.body)).not.toMatch(/refund likely/);

      const search = await call<{ results: { messageId: string; ticketId: string }[] }>(
        'GET',
        `/search?q=${encodeURIComponent('Dana here')}`,
        { session },
      );
      expect(search.body.results).toContainEqual(
        expect.objectContaining({ messageId: reply.body.id, ticketId }),
      );
    });

    it('hands the conversation back to the bot on resolve, asks for a rating and stores it', async () => {
      const { userId, conversationId, ticketId } = await escalatedTicket();
      const session = await signIn('eli');
      expect((await call('POST', `/tickets/${ticketId}/claim`, { session })).status).toBe(200);
      expect((await call('POST', `/tickets/${ticketId}/resolve`, { session })).status).toBe(200);
      expect((await call('POST', `/tickets/${ticketId}/resolve`, { session })).status).toBe(409);

      const transcript = await eventually(async () => {
        const res = await getJson<TranscriptResponse>(
          `${suite.web.url}/api/v1/conversations/${conversationId}/messages`,
        );
        return res.body.messages.some((m) => m.quickReplies?.includes('5')) ? res.body : undefined;
      });
      expect(transcript.status).toBe('bot');
      const notice = transcript.messages.find((m) => m.quickReplies?.includes('5'))!;
      expect(notice.role).toBe('system');
      expect(notice.text).toMatch(/back with the assistant.*1 \(poor\) to 5 \(great\)/);
      expect(notice.quickReplies).toEqual(['1', '2', '3', '4', '5']);
      await eventually(async () => {
        const [row] = await query<{ delivery_status: string }>(
          'SELECT delivery_status FROM messages WHERE id = $1',
          [notice.id],
        );
        return row?.delivery_status === 'sent' ? true : undefined;
      });

      // The customer answers the question: the bot thanks them and the rating is stored.
      const rated = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        conversationId,
        text: '4',
      });
      expect(rated.body.replies[0]!.text).toMatch(/Thank you for rating us 4 out of 5/);
      const [csat] = await query<{ csat: number; ratings: number[] }>(
        `SELECT c.csat, array(SELECT f.rating FROM feedback f WHERE f.conversation_id = c.id) AS ratings
         FROM conversations c WHERE c.id = $1`,
        [conversationId],
      );
      expect(csat).toEqual({ csat: 4, ratings: [4] });

      // Asked once: a digit later is a message like any other; the bot is back in charge.
      const next = await postMessage<PostMessageResponse>(suite.web.url, {
        userId,
        conversationId,
        text: 'Do you ship to Canada?',
      });
      expect(next.status).toBe(200);
      expect(next.body.status).toBe('bot');
      expect(next.body.replies[0]!.text).toMatch(/Canada/);
    });

    it("streams a customer's new message to the agent's open event stream", async () => {
      const { userId, conversationId, ticketId } = await escalatedTicket();
      const session = await signIn('dana');
      const controller = new AbortController();
      const response = await fetch(`${consoleApp.url}/console/api/tickets/${ticketId}/events`, {
        headers: { cookie: session.cookie },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let received = '';
      const readUntil = async (pattern: RegExp) => {
        const deadline = Date.now() + 15_000;
        while (!pattern.test(received)) {
          if (Date.now() > deadline) throw new Error(`stream never showed ${pattern}: ${received}`);
          const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
          if (chunk.done) throw new Error('stream ended');
          received += decoder.decode(chunk.value, { stream: true });
        }
      };
      try {
        // The history so far comes first.
        await readUntil(/event: message\ndata: .*talk to a human/);
        const sent = await postMessage(
          suite.web.url,
          { userId, conversationId, text: 'Are you still there?' },
          { wait: false },
        );
        expect(sent.status).toBe(202);
        await readUntil(/event: message\ndata: \{[^\n]*"role":"user"[^\n]*Are you still there\?/);
      } finally {
        controller.abort();
      }
    });
  });
});
