import { z } from 'zod';

import { assistantConfigShape } from '@parley/assistant';
import { baseConfigShape, port, positiveInt, secret } from '@parley/config';

export const toolsConfigSchema = z.object({
  ...baseConfigShape,
  ...assistantConfigShape,
  /**
   * Opens PII originals for tools that need them (`npx parley pii keygen`); unset: they fail
   * politely. Only this process holds it: the orchestrator and channels never see an original.
   */
  PARLEY_VAULT_PRIVATE_KEY: secret(
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64url').length === 32, {
        error: 'must be an X25519 private key, 32 bytes in base64url (npx parley pii keygen)',
      })
      .optional(),
  ),
  /** Region for phone numbers written without a country code, when a tool needs one. */
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 region code such as US')
    .default('US'),
  /** Health and metrics only; the tools app takes its work from the tools queue. */
  PORT: port(3002),
  /** Tool calls run at once by this process (mostly waiting on business APIs). */
  TOOLS_CONCURRENCY: positiveInt(16),
  /** Failed requests in a row to one business API (or code tool) after which calls fail at once. */
  TOOL_BREAKER_THRESHOLD: positiveInt(5),
  /** How long such a connector is left alone before one trial call may close the breaker again. */
  TOOL_BREAKER_HALF_OPEN_MS: positiveInt(30_000),
  /** BullMQ job lock; a crashed process's job is redelivered after it lapses. */
  JOB_LOCK_MS: positiveInt(30_000),
  JOB_STALLED_INTERVAL_MS: positiveInt(15_000),
});

export type ToolsConfig = z.infer<typeof toolsConfigSchema>;
