import { z } from 'zod';

/** Variables whose values must never reach a log line. */
const secretKeys = new WeakSet<z.ZodType>();

/** Marks a config field as secret: describeConfig() prints it as '***'. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretKeys.add(schema);
  return schema;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

/**
 * Reads the environment once into a typed object. Throws ConfigError naming every bad variable;
 * the only place in Parley that touches process.env.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(root)'),
      message: issue.message,
    })),
  );
}

/** The config as safe to log: secrets starred, credentials stripped from URLs. */
export function describeConfig<S extends z.ZodObject>(
  schema: S,
  config: z.infer<S>,
): Record<string, unknown> {
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.fromEntries(
    Object.entries(config as Record<string, unknown>).map(([key, value]) => {
      const field = shape[key];
      if (field && secretKeys.has(field)) return [key, '***'];
      return [key, typeof value === 'string' ? redactUrl(value) : value];
    }),
  );
}

/** postgresql://user:pass@host/db → postgresql://user:***@host/db; other strings unchanged. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * Values an assistant's tools refer to as `{config.NAME}` and `{secret.NAME}`, read from the
 * environment; one error lists every one that is missing.
 */
export function loadToolSettings(
  names: { config: readonly string[]; secrets: readonly string[] },
  env: NodeJS.ProcessEnv = process.env,
): { config: Record<string, string>; secret: Record<string, string> } {
  const missing = [...names.config, ...names.secrets].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((variable) => ({
        variable,
        message: "required by the assistant's tools (tools.yaml)",
      })),
    );
  }
  const pick = (list: readonly string[]) =>
    Object.fromEntries(list.map((name) => [name, env[name] ?? '']));
  return { config: pick(names.config), secret: pick(names.secrets) };
}
