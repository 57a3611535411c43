import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { RemoteAuth } from 'whatsapp-web.js';

import { Database } from '@parley/db';
import { eventually, query, testEnv } from '@parley/testing';

import { PostgresSessionStore } from '../src/webjs/session-store';

/** What RemoteAuth needs of the client before the browser starts: its puppeteer options. */
interface AuthStrategyInternals {
  setup(client: { options: { puppeteer: Record<string, unknown> } }): void;
  beforeBrowserInitialized(): Promise<void>;
  storeRemoteSession(options?: { emit: boolean }): Promise<void>;
  deleteRemoteSession(): Promise<void>;
  userDataDir: string;
}

/**
 * The linked WhatsApp Web session survives a restart on another machine: whatsapp-web.js's own
 * RemoteAuth (no browser needed for this part) saves the profile through the Postgres store, and
 * a fresh RemoteAuth with an empty disk restores it from there.
 */
describe(PostgresSessionStore.name, () => {
  let db: Database;
  const dirs: string[] = [];

  beforeAll(() => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** RemoteAuth on its own data directory, as a process on a machine of its own would run it. */
  async function remoteAuth(clientId: string): Promise<AuthStrategyInternals> {
    const dataPath = await mkdtemp(path.join(os.tmpdir(), 'parley-wwebjs-test-'));
    dirs.push(dataPath);
    const auth = new RemoteAuth({
      store: new PostgresSessionStore(db, dataPath),
      clientId,
      dataPath,
      backupSyncIntervalMs: 60_000,
    }) as unknown as AuthStrategyInternals;
    auth.setup({ options: { puppeteer: {} } });
    await auth.beforeBrowserInitialized();
    return auth;
  }

  it('saves the profile to Postgres and restores it on an empty disk, then forgets it', async () => {
    const clientId = `test${Date.now()}`;
    const session = `RemoteAuth-${clientId}`;
    const first = await remoteAuth(clientId);
    // What the browser would have written once linked.
    const leveldb = path.join(first.userDataDir, 'Default', 'Local Storage', 'leveldb');
    await mkdir(leveldb, { recursive: true });
    await writeFile(path.join(leveldb, '000003.log'), 'linked-device-keys');
    await first.storeRemoteSession();

    const [row] = await query<{ size: number }>(
      'SELECT octet_length(data) AS size FROM whatsapp_sessions WHERE session = $1',
      [session],
    );
    expect(row!.size).toBeGreaterThan(0);

    const restarted = await remoteAuth(clientId);
    expect(restarted.userDataDir).not.toBe(first.userDataDir);
    const restored = path.join(
      restarted.userDataDir,
      'Default',
      'Local Storage',
      'leveldb',
      '000003.log',
    );
    // RemoteAuth resolves when its unzip stream finishes reading; the files land just after.
    const content = await eventually(
      () => readFile(restored, 'utf8').catch(() => undefined),
      5_000,
      'the restored profile',
    );
    expect(content).toBe('linked-device-keys');

    await restarted.deleteRemoteSession();
    expect(
      await query('SELECT 1 FROM whatsapp_sessions WHERE session = $1', [session]),
    ).toHaveLength(0);
  });
});
