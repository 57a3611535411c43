import { startDemoShop, type DemoShop } from '@parley/demo-shop';
import { generateVaultKeys } from '@parley/guard';

import { uniquePrefix, testEnv } from './env';
import { startApp, type RunningApp } from './processes';

export interface Suite {
  web: RunningApp;
  /** The demo assistant's business API, which its tools call. */
  shop: DemoShop;
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
  const shopToken = `shop-${Math.random().toString(36).slice(2)}`;
  const shop = await startDemoShop({ token: shopToken });
  const vault = generateVaultKeys();
  const env = {
    ...testEnv(),
    PARLEY_QUEUE_PREFIX: uniquePrefix(options.label ?? 'suite'),
    SHOP_API_URL: shop.url,
    SHOP_API_TOKEN: shopToken,
    PARLEY_VAULT_PUBLIC_KEY: vault.publicKey,
    PARLEY_VAULT_PRIVATE_KEY: vault.privateKey,
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
      shop,
      orchestrators,
      env,
      addOrchestrator,
      stop: async () => {
        await Promise.all(apps.map((app) => app.stop('SIGTERM')));
        await shop.close();
      },
    };
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    await shop.close();
    throw error;
  }
}
