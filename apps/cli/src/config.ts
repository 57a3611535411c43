import { z } from 'zod';

import { baseConfigShape, loadConfig, secret } from '@parley/config';

export const cliConfigSchema = z.object({
  ...baseConfigShape,
  /** Where `parley chat` and `parley eval` reach the web API. */
  PARLEY_URL: z.url().default('http://127.0.0.1:3000'),
  /** The web service's admin token: `parley eval` checks intents, slots and escalations with it. */
  PARLEY_ADMIN_TOKEN: secret(z.string().optional()),
  /** The web service's WEB_IDENTITY_SECRET: `parley eval` signs verified customers' messages. */
  WEB_IDENTITY_SECRET: secret(z.string().optional()),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export const loadCliConfig = (env?: NodeJS.ProcessEnv) => loadConfig(cliConfigSchema, env);
