import { z } from 'zod';

import { secret } from './config';

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);
export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

/**
 * OpenTelemetry's standard variables, as far as Parley reads them: traces are exported over
 * OTLP/HTTP only when an endpoint is set. The exporter itself also honours
 * OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION.
 */
export const tracingConfigShape = {
  OTEL_SDK_DISABLED: z.stringbool().default(false),
  /** Overrides the service name traces carry (default `parley-<service>`). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Collector base URL; traces go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  /** Full URL for traces; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  /** Milliseconds between two exports of finished spans. */
  OTEL_BSP_SCHEDULE_DELAY: positiveInt(5_000),
} as const;

/** Settings every Parley service reads. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: secret(
    z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' })
      .default('postgresql://postgres@127.0.0.1:5432/parley'),
  ),
  DATABASE_POOL_SIZE: positiveInt(10),
  REDIS_URL: secret(
    z
      .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  /** Namespace of every Redis key; wrapped in {…} so one Redis Cluster slot holds a queue's keys. */
  PARLEY_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('parley'),
  /** The tenant this process serves until multi-tenant routing lands. */
  PARLEY_ASSISTANT_ID: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('demo'),
  HOST: z.string().default('0.0.0.0'),
  /** Seconds allowed for in-flight work to finish on SIGTERM before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(25),
  ...tracingConfigShape,
} as const;

export const baseConfigSchema = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Settings of every app that accepts customer messages (the channel apps): the PII intake. */
export const intakeConfigShape = {
  /**
   * Public key sealing PII originals into the vault (`npx parley pii keygen`). Unset: originals
   * are dropped after masking, and tools that need one (a callback's phone number) ask again.
   */
  PARLEY_VAULT_PUBLIC_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64url').length === 32, {
      error: 'must be an X25519 public key, 32 bytes in base64url (npx parley pii keygen)',
    })
    .optional(),
  /** Regions whose national phone formats are recognised as PII; `+` numbers always are. */
  PII_PHONE_REGIONS: z
    .string()
    .regex(/^[A-Za-z]{2}(,[A-Za-z]{2})*$/, 'comma-separated ISO 3166 region codes, e.g. US,GB,DE')
    .default('US,GB,DE')
    .transform((value) => value.toUpperCase().split(',')),
} as const;
