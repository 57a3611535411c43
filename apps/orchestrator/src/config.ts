import { z } from 'zod';

import { assistantConfigShape } from '@parley/assistant';
import { baseConfigShape, port, positiveInt, secret } from '@parley/config';
import { ChainSpecError, parseChain, parsePriceTable, type ChainLink } from '@parley/llm';

/** A chain link as written in LLM_CHAIN: `openai:gpt-4o-mini`, `builtin`. */
export const linkId = (link: ChainLink): string =>
  link.vendor === 'builtin' ? link.vendor : `${link.vendor}:${link.model}`;

/** OpenAI itself; any other OPENAI_BASE_URL is a compatible server (Ollama, vLLM, a gateway). */
export const isOpenAIItself = (baseUrl: string): boolean =>
  URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.openai.com';

/**
 * A setting holding JSON, checked by `parse`. Errors never quote values: they may carry a key.
 */
function jsonSetting<T>(parse: (value: unknown) => T, expected: string) {
  return z.string().transform((text, context) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: `is not valid JSON; it ${expected}` });
      return z.NEVER;
    }
    try {
      return parse(value);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `${error instanceof Error ? error.message : String(error)}; it ${expected}`,
      });
      return z.NEVER;
    }
  });
}

// RFC 9110 token characters; Node refuses any other header name at request time.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseHeaders(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new Error(`got ${kind}`);
  }
  for (const [name, header] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) throw new Error(`"${name}" is not a valid header name`);
    if (typeof header !== 'string') throw new Error(`the value of "${name}" is not a string`);
    if (/[\r\n\0]/.test(header)) throw new Error(`the value of "${name}" contains a line break`);
  }
  return value as Record<string, string>;
}

const orchestratorSettings = z.object({
  ...baseConfigShape,
  ...assistantConfigShape,
  /**
   * builtin: the conversation engine on the assistant folder (intents, flows, policies, tools,
   * knowledge). knowledge: answers from the knowledge base only (the walking skeleton's engine).
   */
  PARLEY_ENGINE: z.enum(['builtin', 'knowledge']).default('builtin'),
  /**
   * Longest a turn waits for a tool call's result from the tools app (queueing included); then
   * the flow's failure reply is given.
   */
  TOOL_WAIT_MS: positiveInt(10_000),
  /** Health and metrics only; the orchestrator takes its work from queues. */
  PORT: port(3001),
  /** Inbound jobs handled at once by this process (turns of one conversation never overlap). */
  ORCHESTRATOR_CONCURRENCY: positiveInt(32),
  /** A conversation's turn lease; kept alive by a heartbeat, lapses this long after a crash. */
  TURN_LEASE_TTL_MS: positiveInt(10_000),
  /** BullMQ job lock; a crashed process's job is redelivered after it lapses. */
  JOB_LOCK_MS: positiveInt(30_000),
  JOB_STALLED_INTERVAL_MS: positiveInt(15_000),
  /** How often the sweeper looks for turns and deliveries a crashed process left behind. */
  SWEEP_INTERVAL_MS: positiveInt(5_000),
  /** A pending message or undelivered reply older than this is picked up by the sweeper. */
  SWEEP_STALE_AFTER_MS: positiveInt(10_000),
  /** A conversation the bot has, quiet this long, is closed; the customer's next message opens a new one. */
  CONVERSATION_IDLE_MINUTES: positiveInt(60),
  /** How often idle conversations are looked for. */
  CLOSE_IDLE_INTERVAL_MS: positiveInt(60_000),
  /** Public URL of the support console; hand-over tickets link to `<url>/tickets/<id>`. */
  CONSOLE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  KNOWLEDGE_LANGUAGE: z
    .string()
    .regex(/^[a-z_]+$/)
    .default('english'),
  KNOWLEDGE_MIN_COVERAGE: z.coerce.number().min(0).max(1).default(0.5),
  ANSWER_MAX_CHARS: positiveInt(700),
  /**
   * The models tried in order, e.g. `openai:gpt-4o-mini -> anthropic:claude-haiku-4-5 -> builtin`;
   * when every one fails the built-in engine answers. Unset or `builtin`: no model at all.
   */
  LLM_CHAIN: z
    .string()
    .default('builtin')
    .transform((spec, context) => {
      try {
        return parseChain(spec);
      } catch (error) {
        if (!(error instanceof ChainSpecError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  /** Where `openai:` links are sent: up to and including `/v1`; any OpenAI-compatible server. */
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://api.openai.com/v1'),
  /** Needed for api.openai.com only: a local compatible server (Ollama) is sent a placeholder. */
  OPENAI_API_KEY: secret(z.string().optional()),
  /**
   * Extra headers on every `openai:` request, as a JSON object: Azure's `api-key`, a gateway's
   * key, an org id. Secret, as they usually carry a key.
   */
  OPENAI_HEADERS: secret(
    jsonSetting(
      parseHeaders,
      'must be a JSON object of header names to string values, e.g. {"api-key":"..."}',
    ).optional(),
  ),
  /**
   * Which request field carries LLM_MAX_TOKENS. Unset: max_completion_tokens for api.openai.com
   * (its current models reject max_tokens), max_tokens for any other server, which all know it.
   */
  OPENAI_MAX_TOKENS_PARAM: z.enum(['max_completion_tokens', 'max_tokens']).optional(),
  /** Where `anthropic:` links are sent: the origin, without `/v1`. */
  ANTHROPIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://api.anthropic.com'),
  /** Needed when LLM_CHAIN names an `anthropic:` link. */
  ANTHROPIC_API_KEY: secret(z.string().optional()),
  /** Deadline of one model call (one attempt), from request to the stream's last event. */
  LLM_TIMEOUT_MS: positiveInt(20_000),
  /** Retries of a failed call (rate limit, 5xx, timeout, network) before the next link is tried. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Failed attempts in a row after which a link is skipped without being called. */
  LLM_BREAKER_THRESHOLD: positiveInt(5),
  /** How long such a link is skipped before one trial call may close its breaker again. */
  LLM_BREAKER_HALF_OPEN_MS: positiveInt(30_000),
  /** Most tokens a model may write in one reply. */
  LLM_MAX_TOKENS: positiveInt(400),
  /** Most rounds of tool calls a model may make in one turn before it must answer. */
  LLM_MAX_TOOL_ROUNDS: positiveInt(3),
  /**
   * Which new requests the model answers. complex: not greetings, not confident requests for a
   * task or a canned answer, not FAQ hits (those stay with the built-in engine, fast and free).
   * all: every new request. Flows in progress, guards and policies are never the model's.
   */
  LLM_ROUTE: z.enum(['complex', 'all']).default('complex'),
  /** Share of the question a knowledge passage must cover to be an FAQ hit the rules answer. */
  LLM_FAQ_COVERAGE: z.coerce.number().min(0).max(1).default(0.8),
  /**
   * USD per million tokens by model, as JSON, laid over the built-in list (DEFAULT_PRICES in
   * @parley/llm), e.g. {"llama3.1:8b":{"inputPerMTok":0,"outputPerMTok":0}}.
   */
  LLM_PRICES: jsonSetting(
    parsePriceTable,
    'must be a JSON object of model names to {"inputPerMTok":n,"outputPerMTok":n}',
  ).optional(),
  /**
   * Check every model reply against what the model was shown: a number, link or address found in
   * no knowledge passage, tool result, policy or message is made up, and the built-in engine
   * answers instead.
   */
  LLM_GROUNDING_CHECK: z.stringbool().default(true),
  /**
   * Tokens (in + out) one conversation may spend on models; past it the built-in engine answers
   * the rest of the conversation, for free. 0: no limit.
   */
  LLM_CONVERSATION_MAX_TOKENS: z.coerce.number().int().min(0).default(60_000),
  /** Tokens one customer may spend on models per UTC day, over all conversations. 0: no limit. */
  LLM_CUSTOMER_DAILY_TOKENS: z.coerce.number().int().min(0).default(200_000),
  /** USD the assistant may spend on (priced) models per UTC day. 0: no limit. */
  LLM_ASSISTANT_DAILY_USD: z.coerce.number().min(0).default(0),
  /**
   * How long a model's answer to an FAQ-class question is reused for the same question (same
   * model, same knowledge; a knowledge change invalidates at once), e.g. 86400. 0: no cache.
   * Off by default: a cached answer is given to every customer who asks the same question.
   */
  LLM_CACHE_TTL_S: z.coerce.number().int().min(0).default(0),
  /**
   * How long the running experiment (docs/experiments.md) is remembered per process: a start or
   * stop in the console reaches the turns within this long, and turns cost no query for it.
   */
  EXPERIMENTS_REFRESH_MS: positiveInt(5_000),
});

/** Cross-field checks run once every setting alone is valid. */
export const orchestratorConfigSchema = orchestratorSettings.superRefine(checkLlmSettings);

export type OrchestratorConfig = z.infer<typeof orchestratorConfigSchema>;

/** A key for every vendor the chain names; the same link only once. */
function checkLlmSettings(
  config: z.infer<typeof orchestratorSettings>,
  context: z.RefinementCtx,
): void {
  const ids = config.LLM_CHAIN.map(linkId);
  const linksOf = (vendor: string) => ids.filter((id) => id.startsWith(`${vendor}:`)).join(', ');
  if (linksOf('openai') && !config.OPENAI_API_KEY && isOpenAIItself(config.OPENAI_BASE_URL)) {
    context.addIssue({
      code: 'custom',
      path: ['OPENAI_API_KEY'],
      message: `needed by LLM_CHAIN's ${linksOf('openai')} at ${config.OPENAI_BASE_URL} (a local OpenAI-compatible server such as Ollama needs none: set OPENAI_BASE_URL to it)`,
    });
  }
  if (linksOf('anthropic') && !config.ANTHROPIC_API_KEY) {
    context.addIssue({
      code: 'custom',
      path: ['ANTHROPIC_API_KEY'],
      message: `needed by LLM_CHAIN's ${linksOf('anthropic')}`,
    });
  }
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice) {
    context.addIssue({
      code: 'custom',
      path: ['LLM_CHAIN'],
      message: `names ${twice} twice: a link that just failed would only be called again`,
    });
  }
}
