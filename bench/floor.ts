import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { Client } from 'pg';

import { appNodeArgs, freePort } from '@parley/testing';

/** The floor's two processes (./floor-app), serving the same API the bench drives Parley through. */
export interface RunningFloor {
  url: string;
  processes: Record<'web' | 'worker', ChildProcess>;
  stop(): Promise<void>;
}

export async function startFloor(env: {
  DATABASE_URL: string;
  REDIS_URL: string;
}): Promise<RunningFloor> {
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_floor_messages`);
    await client.query(
      `CREATE TABLE bench_floor_messages (
         id uuid PRIMARY KEY, user_id text NOT NULL, text text NOT NULL, status text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
  } finally {
    await client.end();
  }
  const port = await freePort();
  const start = async (role: 'web' | 'worker') => {
    const child = spawn(
      process.execPath,
      [...appNodeArgs(), path.join(__dirname, 'floor-app.js'), role],
      {
        env: { ...process.env, ...env, FLOOR_PREFIX: '{parley-bench-floor}', PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [line] = (await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error(`the floor's ${role} process exited at start-up`);
      }),
    ])) as [Buffer];
    if (!line.toString().includes('ready')) throw new Error(`floor ${role}: ${line.toString()}`);
    return child;
  };
  const processes = { web: await start('web'), worker: await start('worker') };
  return {
    url: `http://127.0.0.1:${port}`,
    processes,
    stop: async () => {
      await Promise.all(
        Object.values(processes).map(async (child) => {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        }),
      );
    },
  };
}
