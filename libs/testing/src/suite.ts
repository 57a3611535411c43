import { startDemoShop, type DemoShop } from '@parley/demo-shop';
import { generateVaultKeys } from '@parley/guard';

import { uniquePrefix, testEnv } from './env';
import { TEST_IDENTITY_SECRET } from './identity';
import { startApp, type RunningApp } from './processes';

export interface Suite {
  web: RunningApp;
  /** The demo assistant's business API, which its tools call. */
  shop: DemoShop;
  orchestrators: RunningApp[];
  /** The tools app, which runs the turns' tool calls; null when started without one. */
  tools: RunningApp | null;
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
 * The web app, `orchestrators` orchestrator processes and the tools app on this run's database,
 * with a queue prefix of their own so no other test file's jobs reach them.
 */
export async function startSuite(
  options: {
    orchestrators?: number;
    /** Start the tools app (default true). */
    tools?: boolean;
    label?: string;
    env?: Record<string, string>;
  } = {},
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
    // Customers signed in with `signedIn()` are verified; the rest are anonymous visitors.
    WEB_IDENTITY_SECRET: TEST_IDENTITY_SECRET,
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
    const [tools, ...orchestrators] = await Promise.all([
      options.tools === false ? Promise.resolve(null) : startApp('tools', env),
      ...Array.from({ length: options.orchestrators ?? 1 }, () => addOrchestrator()),
    ]);
    if (tools) apps.push(tools);
    return {
      web,
      shop,
      orchestrators,
      tools,
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
