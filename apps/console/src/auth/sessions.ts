import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { AgentRepository, type ConsoleAgent, type Database } from '@parley/db';
import { CONFIG, DATABASE } from '@parley/platform';

import type { ConsoleConfig } from '../config';

export interface ActiveSession {
  agent: ConsoleAgent;
  /** Digest of the cookie's value: the row's key. */
  key: string;
  csrfToken: string;
}

/** Touching lastSeenAt on every request would write on every poll; once a minute is enough. */
const TOUCH_EVERY_MS = 60_000;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Console sessions: a random 32-byte id in an HttpOnly, SameSite=Strict cookie, stored only as
 * its SHA-256 digest, with a sliding expiry and a CSRF token of its own.
 */
@Injectable()
export class Sessions {
  readonly cookieName: string;
  private readonly repository: AgentRepository;
  private readonly ttlMs: number;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(CONFIG) private readonly config: ConsoleConfig,
  ) {
    this.repository = new AgentRepository(db);
    this.ttlMs = config.CONSOLE_SESSION_HOURS * 3_600_000;
    // __Host- makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
    this.cookieName = config.CONSOLE_COOKIE_SECURE ? '__Host-parley_console' : 'parley_console';
  }

  /** A new session for the agent; expired sessions of anyone are removed as it starts. */
  async start(agentId: string): Promise<{ id: string; csrfToken: string }> {
    // Sign-ins are rare and every replica signs agents in: no timer of its own needed.
    await this.repository.deleteExpiredSessions();
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.repository.createSession(
      digest(id),
      agentId,
      csrfToken,
      new Date(Date.now() + this.ttlMs),
    );
    return { id, csrfToken };
  }

  /** The session the request's cookie names, if it is live; extends it while in use. */
  async resolve(cookieHeader: string | undefined): Promise<ActiveSession | null> {
    const id = readCookie(cookieHeader, this.cookieName);
    if (!id || id.length > 100) return null;
    const key = digest(id);
    const session = await this.repository.session(key);
    if (!session) return null;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.repository.touchSession(key, new Date(Date.now() + this.ttlMs));
    }
    return { agent: session.agent, key, csrfToken: session.csrfToken };
  }

  /** Still live? (long-lived streams re-check, so a logout ends them.) */
  async stillValid(key: string): Promise<boolean> {
    return (await this.repository.session(key)) !== null;
  }

  async end(key: string): Promise<void> {
    await this.repository.deleteSession(key);
  }

  setCookie(id: string): string {
    const secure = this.config.CONSOLE_COOKIE_SECURE ? '; Secure' : '';
    const maxAge = Math.floor(this.ttlMs / 1000);
    return `${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  }

  clearCookie(): string {
    const secure = this.config.CONSOLE_COOKIE_SECURE ? '; Secure' : '';
    return `${this.cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`;
  }
}

/** Constant-time comparison of the header with the session's token. */
export function csrfMatches(header: unknown, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
