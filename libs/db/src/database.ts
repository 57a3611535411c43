import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';

import { PrismaClient } from './generated/client';

export type Prisma = InstanceType<typeof PrismaClient>;

export interface DatabaseOptions {
  url: string;
  poolSize: number;
}

/** Raised at start-up when Postgres cannot be reached; names the setting to fix. */
export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Cannot reach PostgreSQL at DATABASE_URL=${redactPassword(url)} (${describeCause(cause)}). ` +
        'Check that PostgreSQL is running and DATABASE_URL points at it.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

export function createPrisma(options: DatabaseOptions): Prisma {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

/**
 * Connects once with the plain driver, whose errors name the cause (ECONNREFUSED, auth, missing
 * database) where Prisma's wrap it; throws DatabaseUnreachableError.
 */
export async function assertDatabaseReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachableError(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redactPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function describeCause(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // Driver errors are wrapped by Prisma; the innermost one carries the useful code.
  while (current instanceof Error && current.cause && !seen.has(current.cause)) {
    seen.add(current);
    current = current.cause;
  }
  if (current instanceof Error) {
    const code = (current as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${current.message}` : current.message;
  }
  return String(current);
}
