import { randomUUID } from 'node:crypto';

import type { Database } from '../database';

export type AgentRole = 'agent' | 'admin';

export interface ConsoleAgent {
  id: string;
  assistantId: string;
  email: string;
  name: string;
  role: AgentRole;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface SessionRecord {
  agent: ConsoleAgent;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

const agentSelect = {
  id: true,
  assistantId: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  createdAt: true,
} as const;

/** The support console's people: agents and admins, their passwords and their sessions. */
export class AgentRepository {
  constructor(private readonly db: Database) {}

  /** The agent with this email and their password hash (login only). */
  async agentForLogin(
    assistantId: string,
    email: string,
  ): Promise<(ConsoleAgent & { passwordHash: string }) | null> {
    return this.db.prisma.agent.findUnique({
      where: { assistantId_email: { assistantId, email: email.toLowerCase() } },
      select: { ...agentSelect, passwordHash: true },
    });
  }

  /** The enabled agent with this email (Slack's Claim button finds the clicking agent by it). */
  async enabledAgentByEmail(assistantId: string, email: string): Promise<ConsoleAgent | null> {
    return this.db.prisma.agent.findFirst({
      where: { assistantId, email: email.toLowerCase(), disabledAt: null },
      select: agentSelect,
    });
  }

  async agent(assistantId: string, id: string): Promise<ConsoleAgent | null> {
    return this.db.prisma.agent.findFirst({ where: { id, assistantId }, select: agentSelect });
  }

  async agents(assistantId: string): Promise<ConsoleAgent[]> {
    return this.db.prisma.agent.findMany({
      where: { assistantId },
      orderBy: { createdAt: 'asc' },
      select: agentSelect,
    });
  }

  async hasAdmin(assistantId: string): Promise<boolean> {
    const count = await this.db.prisma.agent.count({ where: { assistantId, role: 'admin' } });
    return count > 0;
  }

  /** Creates an agent; null when the email is taken in this assistant. */
  async createAgent(input: {
    assistantId: string;
    email: string;
    name: string;
    role: AgentRole;
    passwordHash: string;
  }): Promise<ConsoleAgent | null> {
    const rows = await this.db.rows<{ id: string }>(
      'console.create-agent',
      `INSERT INTO agents (id, assistant_id, email, name, role, password_hash)
       VALUES ($1::uuid, $2, $3, $4, $5::"AgentRole", $6)
       ON CONFLICT (assistant_id, email) DO NOTHING RETURNING id`,
      [
        randomUUID(),
        input.assistantId,
        input.email.toLowerCase(),
        input.name,
        input.role,
        input.passwordHash,
      ],
    );
    return rows[0] ? this.agent(input.assistantId, rows[0].id) : null;
  }

  /** Sets an agent's password by email; ends their sessions. False when there is no such agent. */
  async setPassword(assistantId: string, email: string, passwordHash: string): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      'console.set-password',
      `WITH agent AS (
         UPDATE agents SET password_hash = $3 WHERE assistant_id = $1 AND email = $2 RETURNING id),
       ended AS (DELETE FROM agent_sessions s USING agent WHERE s.agent_id = agent.id)
       SELECT id FROM agent`,
      [assistantId, email.toLowerCase(), passwordHash],
    );
    return rows.length > 0;
  }

  // --- sessions -----------------------------------------------------------------------------

  /** `key` is a digest of the cookie's value: a copy of the table does not open sessions. */
  async createSession(key: string, agentId: string, csrfToken: string, expiresAt: Date) {
    await this.db.prisma.agentSession.create({ data: { id: key, agentId, csrfToken, expiresAt } });
  }

  /** A live session of an enabled agent, or null. */
  async session(key: string): Promise<SessionRecord | null> {
    const row = await this.db.prisma.agentSession.findUnique({
      where: { id: key },
      select: {
        csrfToken: true,
        expiresAt: true,
        lastSeenAt: true,
        agent: { select: agentSelect },
      },
    });
    if (!row || row.expiresAt.getTime() <= Date.now() || row.agent.disabledAt) return null;
    return row;
  }

  /** Sliding expiry: the agent was seen now. */
  async touchSession(key: string, expiresAt: Date): Promise<void> {
    await this.db.prisma.agentSession.updateMany({
      where: { id: key },
      data: { lastSeenAt: new Date(), expiresAt },
    });
  }

  async deleteSession(key: string): Promise<void> {
    await this.db.prisma.agentSession.deleteMany({ where: { id: key } });
  }

  async deleteExpiredSessions(): Promise<number> {
    const { count } = await this.db.prisma.agentSession.deleteMany({
      where: { expiresAt: { lt: new Date() } },
    });
    return count;
  }
}
