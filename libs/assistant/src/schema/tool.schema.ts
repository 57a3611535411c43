import { z } from 'zod';

import { identifier, regexSource, text } from './common';

export const ARG_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'email',
  'phone',
] as const;

/** One argument, JSON-schema-ish; `toolArgsSchema()` turns a tool's args into a zod schema. */
export const toolArgSchema = z.strictObject({
  type: z.enum(ARG_TYPES),
  description: text.optional(),
  required: z.boolean().default(true),
  /** For strings. */
  pattern: regexSource.optional(),
  enum: z.array(text).min(1).optional(),
  /** For numbers and integers. */
  min: z.number().optional(),
  max: z.number().optional(),
});

const commonFields = {
  description: text,
  /** Whether the tool changes anything (an order, an account, money); such flows must confirm. */
  side_effects: z.boolean(),
  /** Whether two calls (same args and Idempotency-Key) do no more than one; absent: !side_effects. */
  idempotent: z.boolean().optional(),
  /**
   * Who may use it. customer (the default): only a customer whose identity the channel verified,
   * acting on their own account. public: anyone, an anonymous web visitor included.
   */
  access: z.enum(['customer', 'public']).default('customer'),
  args: z.record(identifier, toolArgSchema).default({}),
  /** Outcomes besides success and failure that flows can reply to, e.g. outside_window. */
  outcomes: z.array(identifier).default([]),
};

/** `$`, `$.status`, `$.items[0].sku`: where a result field is in the JSON response. */
const jsonPath = z
  .string()
  .regex(/^\$(\.[A-Za-z_][\w-]*|\[\d+\])*$/, 'expected a JSON path like $.order.status');

/**
 * A call to an HTTP API. Templates may use `{arg}`, `{customer.id}`, `{config.NAME}` and, in
 * headers and query, `{secret.NAME}`: secrets live in the environment, never in this file.
 */
export const httpToolSchema = z.strictObject({
  type: z.literal('http'),
  ...commonFields,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: text,
  headers: z.record(z.string(), text).default({}),
  query: z.record(z.string(), text).default({}),
  /** JSON body field → template; when absent, POST, PUT and PATCH send the args as JSON. */
  body: z.record(z.string(), text).optional(),
  /** Result field → JSON path in the response body; the field `outcome`, if mapped, picks the reply. */
  response: z.record(identifier, jsonPath).default({}),
  /** HTTP status → outcome, e.g. 404: not_found. Other non-2xx statuses are failures. */
  status_outcomes: z
    .record(z.string().regex(/^[1-5]\d\d$/, 'expected an HTTP status'), identifier)
    .default({}),
  timeout_ms: z.int().positive().default(10_000),
});

/** A tool implemented in Parley's tools app under the same name. */
export const codeToolSchema = z.strictObject({
  type: z.literal('code'),
  ...commonFields,
  /** The result fields the code returns; `outcome`, if returned, picks the reply. */
  returns: z.array(identifier).default([]),
});

export const toolSchema = z.discriminatedUnion('type', [httpToolSchema, codeToolSchema]);

/** tools.yaml: tool name → definition. */
export const toolsFileSchema = z.record(identifier, toolSchema);

export type ToolArg = z.infer<typeof toolArgSchema>;
export type HttpTool = z.infer<typeof httpToolSchema>;
export type CodeTool = z.infer<typeof codeToolSchema>;
export type Tool = z.infer<typeof toolSchema>;

/** Whether a failed call may be tried again: only if a repeat cannot act twice. */
export function isIdempotent(tool: Tool): boolean {
  return tool.idempotent ?? !tool.side_effects;
}

/** The fields a tool's result has, which `{result.field}` placeholders may name. */
export function resultFields(tool: Tool): string[] {
  return tool.type === 'http' ? Object.keys(tool.response) : tool.returns;
}
