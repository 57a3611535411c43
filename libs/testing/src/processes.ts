import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

import { REPO_ROOT } from '@parley/config';

export type AppName = 'web' | 'orchestrator' | 'tools' | 'sms' | 'slack' | 'whatsapp' | 'console';

export interface RunningApp {
  name: AppName;
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Node options for every app process a test or the bench starts, from PARLEY_APP_NODE_ARGS: e.g.
 * '--cpu-prof --cpu-prof-dir=/tmp/prof' profiles each one (NODE_OPTIONS refuses --cpu-prof).
 */
export function appNodeArgs(): string[] {
  return (process.env.PARLEY_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/**
 * Spawns a built app (`npm test` builds first) as its own process, like production, so tests can
 * kill it mid-turn. Resolves once /health/ready answers 200.
 */
export async function startApp(
  name: AppName,
  env: Record<string, string>,
  options: { waitReady?: boolean; timeoutMs?: number } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const main = path.join(REPO_ROOT, 'dist/apps', name, 'src/main.js');
  const child = spawn(process.execPath, [...appNodeArgs(), main], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    name,
    url,
    port,
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  if (options.waitReady !== false) await waitReady(app, options.timeoutMs ?? 20_000);
  return app;
}

async function waitReady(app: RunningApp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${app.url}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await app.stop('SIGKILL');
  throw new Error(`${app.name} did not become ready:\n${app.output()}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
