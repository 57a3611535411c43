import { uniquePrefix, testEnv } from './env';
import { startApp, type RunningApp } from './processes';

export interface Suite {
  web: RunningApp;
  orchestrators: RunningApp[];
  env: Record<string, string>;
  /** Starts one more orchestrator on the same database and queues. */
  addOrchestrator(extraEnv?: Record<string, string>): Promise<RunningApp>;
  stop(): Promise<void>;
}

/** Settings that make crash recovery quick enough to test (production defaults are longer). */
export const FAST_RECOVERY_ENV = {
  TURN_LEASE_TTL_MS: '1500',
  JOB_LOCK_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
  SWEEP_INTERVAL_MS: '500',
  SWEEP_STALE_AFTER_MS: '1000',
};

/**
 * The web app and `orchestrators` orchestrator processes on this run's database, with a queue
 * prefix of their own so no other test file's jobs reach them.
 */
export async function startSuite(
  options: { orchestrators?: number; label?: string; env?: Record<string, string> } = {},
): Promise<Suite> {
  const env = {
    ...testEnv(),
    PARLEY_QUEUE_PREFIX: uniquePrefix(options.label ?? 'suite'),
    ...options.env,
  };
  const apps: RunningApp[] = [];
  const addOrchestrator = async (extraEnv: Record<string, string> = {}) => {
    const app = await startApp('orchestrator', { ...env, ...extraEnv });
    apps.push(app);
    return app;
  };
  try {
    const web = await startApp('web', env);
    apps.push(web);
    const orchestrators = await Promise.all(
      Array.from({ length: options.orchestrators ?? 1 }, () => addOrchestrator()),
    );
    return {
      web,
      orchestrators,
      env,
      addOrchestrator,
      stop: async () => {
        await Promise.all(apps.map((app) => app.stop('SIGTERM')));
      },
    };
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    throw error;
  }
}
