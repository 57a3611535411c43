import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Database } from '@parley/db';

/**
 * whatsapp-web.js RemoteAuth's store, in Postgres: the session's browser profile as the zip
 * RemoteAuth writes to `<dataPath>/<session>.zip` before `save` and reads back after `extract`.
 */
export class PostgresSessionStore {
  constructor(
    private readonly db: Database,
    private readonly dataPath: string,
  ) {}

  async sessionExists({ session }: { session: string }): Promise<boolean> {
    const rows = await this.db.rows<{ session: string }>(
      'whatsapp-session.exists',
      'SELECT session FROM whatsapp_sessions WHERE session = $1',
      [session],
    );
    return rows.length > 0;
  }

  async save({ session }: { session: string }): Promise<void> {
    const data = await readFile(path.join(this.dataPath, `${session}.zip`));
    await this.db.rows(
      'whatsapp-session.save',
      `INSERT INTO whatsapp_sessions (session, data, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (session) DO UPDATE SET data = excluded.data, updated_at = now()`,
      [session, data],
    );
  }

  async extract({ session, path: target }: { session: string; path: string }): Promise<void> {
    const rows = await this.db.rows<{ data: Buffer }>(
      'whatsapp-session.extract',
      'SELECT data FROM whatsapp_sessions WHERE session = $1',
      [session],
    );
    if (rows[0]) await writeFile(target, rows[0].data);
  }

  async delete({ session }: { session: string }): Promise<void> {
    await this.db.rows(
      'whatsapp-session.delete',
      'DELETE FROM whatsapp_sessions WHERE session = $1',
      [session],
    );
  }
}
