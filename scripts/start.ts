/**
 * `npm start`: the whole suite on one machine with the demo assistant. Migrates the database
 * (creating it if missing), ingests the demo knowledge base, starts every service with its logs
 * prefixed, and prints the URL once the web app is ready. Ctrl-C stops everything gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { randomBytes } from 'node:crypto';

import { ConfigError, PATHS, REPO_ROOT, loadConfig, secret } from '@parley/config';
import { AssistantRepository, KnowledgeRepository, applyMigrations, Database } from '@parley/db';
import { startDemoShop } from '@parley/demo-shop';
import { generateVaultKeys } from '@parley/guard';
import { ingestDirectory } from '@parley/knowledge';
import { z } from 'zod';

import { baseConfigShape, port } from '@parley/config';

const startConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(3000),
  ORCHESTRATOR_PORT: port(3001),
  TOOLS_PORT: port(3002),
  SMS_PORT: port(3003),
  /** Set (with the other TWILIO_* and SMS_PUBLIC_URL settings) to start the SMS channel too. */
  TWILIO_ACCOUNT_SID: z.string().optional(),
  SLACK_PORT: port(3005),
  /** Set (with SLACK_SIGNING_SECRET, or SLACK_SOCKET_MODE + SLACK_APP_TOKEN) to start Slack too. */
  SLACK_BOT_TOKEN: secret(z.string().optional()),
  WHATSAPP_PORT: port(3004),
  CONSOLE_PORT: port(3006),
  /** The support console's first admin, created if the assistant has none; password made up if unset. */
  CONSOLE_ADMIN_EMAIL: z.email().default('admin@example.com'),
  CONSOLE_ADMIN_PASSWORD: secret(z.string().min(12).optional()),
  /** Set (cloud or webjs, with that mode's WHATSAPP_* settings) to start the WhatsApp channel too. */
  WHATSAPP_MODE: z.string().optional(),
  PARLEY_ASSISTANT_DIR: z.string().default(PATHS.demoAssistant),
  /** The business API the assistant's tools call; unset, the demo shop runs on SHOP_PORT. */
  SHOP_API_URL: z.url().optional(),
  SHOP_API_TOKEN: secret(z.string().optional()),
  SHOP_PORT: port(3009),
  PARLEY_VAULT_PUBLIC_KEY: z.string().optional(),
  PARLEY_VAULT_PRIVATE_KEY: secret(z.string().optional()),
  PARLEY_ADMIN_TOKEN: secret(z.string().optional()),
  /** Key of verified web identities; unset, one is made up for the run (demo sign-in uses it). */
  WEB_IDENTITY_SECRET: secret(z.string().optional()),
});

const SERVICES = [
  { name: 'web', color: 36, port: (c: StartConfig) => c.PORT },
  { name: 'orchestrator', color: 35, port: (c: StartConfig) => c.ORCHESTRATOR_PORT },
  { name: 'tools', color: 33, port: (c: StartConfig) => c.TOOLS_PORT },
  { name: 'console', color: 95, port: (c: StartConfig) => c.CONSOLE_PORT },
  // Channels with a platform account: started when their settings are there.
  { name: 'sms', color: 32, port: (c: StartConfig) => c.SMS_PORT, when: 'TWILIO_ACCOUNT_SID' },
  { name: 'slack', color: 34, port: (c: StartConfig) => c.SLACK_PORT, when: 'SLACK_BOT_TOKEN' },
  {
    name: 'whatsapp',
    color: 92,
    port: (c: StartConfig) => c.WHATSAPP_PORT,
    when: 'WHATSAPP_MODE',
  },
] as const;

type StartConfig = z.infer<typeof startConfigSchema>;

async function prepare(config: StartConfig): Promise<void> {
  const { applied } = await applyMigrations({
    databaseUrl: config.DATABASE_URL,
    schemaPath: PATHS.schema,
    migrationsDir: PATHS.migrations,
  });
  console.log(applied.length ? `database: applied ${applied.join(', ')}` : 'database: up to date');

  const db = new Database({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    await new AssistantRepository(db).ensure(
      config.PARLEY_ASSISTANT_ID,
      config.PARLEY_ASSISTANT_ID,
    );
    const report = await ingestDirectory(
      new KnowledgeRepository(db),
      path.join(config.PARLEY_ASSISTANT_DIR, 'knowledge'),
      { assistantId: config.PARLEY_ASSISTANT_ID, prune: true },
    );
    console.log(`knowledge: ${report.files} documents, ${report.chunks} chunks`);
  } finally {
    await db.close();
  }
}

/** JSON log lines become "hh:mm:ss level service message {fields}" for a person at a terminal. */
function pretty(name: string, color: number, line: string): string {
  const tag = `\x1b[${color}m${name.padEnd(12)}\x1b[0m`;
  try {
    const { time, level, msg, service, pid, hostname, ...rest } = JSON.parse(line) as Record<
      string,
      unknown
    >;
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${tag} ${String(time).slice(11, 19)} ${String(level).padEnd(5)} ${String(msg)}${extra}`;
  } catch {
    return `${tag} ${line}`;
  }
}

function launch(name: string, color: number, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/apps', name, 'src/main.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) console.log(pretty(name, color, line));
    });
  }
  return child;
}

async function waitReady(url: string, children: ChildProcess[]): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    if (children.some((c) => c.exitCode !== null)) return false;
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return true;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function main(): Promise<void> {
  let config: StartConfig;
  try {
    config = loadConfig(startConfigSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await prepare(config);

  // What a real installation configures, made up for the demo run: its shop, keys and token.
  const extra: Record<string, string> = {};
  if (!config.SHOP_API_URL) {
    const token = randomBytes(16).toString('hex');
    const shop = await startDemoShop({ token, port: config.SHOP_PORT });
    Object.assign(extra, { SHOP_API_URL: shop.url, SHOP_API_TOKEN: token });
    console.log(`demo shop: ${shop.url} (the demo assistant's order system)`);
  }
  if (!config.PARLEY_VAULT_PUBLIC_KEY && !config.PARLEY_VAULT_PRIVATE_KEY) {
    const keys = generateVaultKeys();
    Object.assign(extra, {
      PARLEY_VAULT_PUBLIC_KEY: keys.publicKey,
      PARLEY_VAULT_PRIVATE_KEY: keys.privateKey,
    });
    console.log('PII vault: a key pair for this run only (set PARLEY_VAULT_* to keep one)');
  }
  const adminToken = config.PARLEY_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  extra.PARLEY_ADMIN_TOKEN = adminToken;
  const identitySecret = config.WEB_IDENTITY_SECRET ?? randomBytes(32).toString('base64url');
  // The demo page plays the shop's site, which signs its visitors in as verified customers.
  const webOnly: Record<string, string> = {
    WEB_IDENTITY_SECRET: identitySecret,
    WEB_DEMO_SIGN_IN: 'true',
  };

  // The console over plain http on localhost: its cookie cannot be Secure there.
  const consolePassword = config.CONSOLE_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
  const consoleOnly: Record<string, string> = {
    CONSOLE_COOKIE_SECURE: 'false',
    CONSOLE_ADMIN_EMAIL: config.CONSOLE_ADMIN_EMAIL,
    CONSOLE_ADMIN_PASSWORD: consolePassword,
    // A password made up for this run must work this run, whatever an earlier one set.
    ...(config.CONSOLE_ADMIN_PASSWORD ? {} : { CONSOLE_ADMIN_PASSWORD_RESET: 'true' }),
  };

  const wanted = SERVICES.filter((service) => !('when' in service) || config[service.when]);
  const children = wanted.map((service) =>
    launch(service.name, service.color, {
      ...process.env,
      ...extra,
      ...(service.name === 'web' ? webOnly : {}),
      ...(service.name === 'console' ? consoleOnly : {}),
      PORT: String(service.port(config)),
    }),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nstopping (${signal})…`);
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`a service exited (code ${code}); stopping the others`);
        stop('SIGTERM');
      }
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null))
        process.exit(stopping ? 0 : 1);
    });
  }

  const url = `http://localhost:${config.PORT}`;
  if (await waitReady(url, children)) {
    console.log(`\n  Parley is running. Open ${url} to chat with the demo assistant.`);
    console.log(`  API: POST ${url}/api/v1/messages · metrics: ${url}/metrics · Ctrl-C to stop`);
    if (!config.PARLEY_ADMIN_TOKEN) console.log(`  Admin API token for this run: ${adminToken}`);
    const password = config.CONSOLE_ADMIN_PASSWORD ? '$CONSOLE_ADMIN_PASSWORD' : consolePassword;
    console.log(
      `  Support console: http://localhost:${config.CONSOLE_PORT}/console · ` +
        `${config.CONSOLE_ADMIN_EMAIL} / ${password}`,
    );
    // Values made up for this run are printed; ones from the environment are referred to by name.
    const evalEnv = [
      config.PARLEY_ADMIN_TOKEN
        ? 'PARLEY_ADMIN_TOKEN="$PARLEY_ADMIN_TOKEN"'
        : `PARLEY_ADMIN_TOKEN=${adminToken}`,
      config.WEB_IDENTITY_SECRET
        ? 'WEB_IDENTITY_SECRET="$WEB_IDENTITY_SECRET"'
        : `WEB_IDENTITY_SECRET=${identitySecret}`,
    ].join(' ');
    console.log(`  Conversation tests: ${evalEnv} npx parley eval assistants/demo/conversations\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
