import { z } from 'zod';

import { baseConfigShape, loadConfig } from '@parley/config';

export const cliConfigSchema = z.object({
  ...baseConfigShape,
  /** Where `parley chat` and `parley eval` reach the web API. */
  PARLEY_URL: z.url().default('http://127.0.0.1:3000'),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export const loadCliConfig = (env?: NodeJS.ProcessEnv) => loadConfig(cliConfigSchema, env);
