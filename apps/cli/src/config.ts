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
  /** `parley eval --judge openai:…`: the same OpenAI-compatible endpoint the orchestrator uses. */
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://api.openai.com/v1'),
  /** Needed for api.openai.com only: a local compatible server (Ollama) is sent a placeholder. */
  OPENAI_API_KEY: secret(z.string().optional()),
  /** `parley eval --judge anthropic:…`. */
  ANTHROPIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://api.anthropic.com'),
  ANTHROPIC_API_KEY: secret(z.string().optional()),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export const loadCliConfig = (env?: NodeJS.ProcessEnv) => loadConfig(cliConfigSchema, env);
