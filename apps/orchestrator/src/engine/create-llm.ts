import { redactUrl } from '@parley/config';
import {
  AnthropicProvider,
  DEFAULT_PRICES,
  FallbackChain,
  OpenAIProvider,
  ResilientProvider,
  type ChainLink,
  type LlmProvider,
  type PriceTable,
  type ResilienceOptions,
} from '@parley/llm';
import type { Logger } from '@parley/platform';

import { isOpenAIItself, linkId, type OrchestratorConfig } from '../config';

/** The settings the chain is built from. */
export type LlmChainConfig = Pick<
  OrchestratorConfig,
  | 'LLM_CHAIN'
  | 'OPENAI_BASE_URL'
  | 'OPENAI_API_KEY'
  | 'OPENAI_HEADERS'
  | 'OPENAI_MAX_TOKENS_PARAM'
  | 'ANTHROPIC_BASE_URL'
  | 'ANTHROPIC_API_KEY'
  | 'LLM_TIMEOUT_MS'
  | 'LLM_MAX_RETRIES'
  | 'LLM_BREAKER_THRESHOLD'
  | 'LLM_BREAKER_HALF_OPEN_MS'
  | 'LLM_PRICES'
>;

export interface LlmChain {
  /** The model links in order, each with retries and its own breaker; throws AllProvidersFailedError when all fail. */
  provider: LlmProvider;
  /** DEFAULT_PRICES with LLM_PRICES laid over them. */
  prices: PriceTable;
  /** The chain as configured, for logs and metrics, e.g. `openai:gpt-4o-mini -> builtin`. */
  chain: string;
}

/** The SDK refuses an empty key; local servers (Ollama, llama.cpp) ignore whatever is sent. */
const PLACEHOLDER_KEY = 'parley-no-key';

type ModelLink = Exclude<ChainLink, { vendor: 'builtin' }>;

/**
 * Builds the LLM_CHAIN's providers once at start-up (each breaker remembers for the life of the
 * process). Null when no model is configured: the built-in engine answers alone. `builtin` is not
 * a provider: the engine falls back to itself when the chain throws.
 */
export function createLlmChain(config: LlmChainConfig, logger: Logger): LlmChain | null {
  const chain = config.LLM_CHAIN.map(linkId).join(' -> ');
  const models = config.LLM_CHAIN.filter((link): link is ModelLink => link.vendor !== 'builtin');
  if (models.length === 0) {
    logger.info({ chain }, 'no LLM configured: the built-in engine answers alone');
    return null;
  }

  const resilience: Partial<ResilienceOptions> = {
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxAttempts: config.LLM_MAX_RETRIES + 1,
    breaker: {
      consecutiveFailures: config.LLM_BREAKER_THRESHOLD,
      halfOpenAfterMs: config.LLM_BREAKER_HALF_OPEN_MS,
    },
    onRetry: ({ provider, attempt, delayMs, error }) =>
      logger.warn(
        { provider, attempt, delayMs: Math.round(delayMs), kind: error.kind, status: error.status },
        'LLM call failed; retrying',
      ),
  };
  const provider = new FallbackChain(
    models.map((link) => new ResilientProvider(vendorProvider(link, config), resilience)),
  );

  const vendors = new Set(models.map((link) => link.vendor));
  logger.info(
    {
      chain,
      ...(vendors.has('openai') && {
        openai: {
          baseUrl: redactUrl(config.OPENAI_BASE_URL),
          key: config.OPENAI_API_KEY ? 'set' : 'placeholder',
          headers: Object.keys(config.OPENAI_HEADERS ?? {}),
        },
      }),
      ...(vendors.has('anthropic') && {
        anthropic: { baseUrl: redactUrl(config.ANTHROPIC_BASE_URL) },
      }),
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxAttempts: config.LLM_MAX_RETRIES + 1,
    },
    'LLM chain active',
  );
  return { provider, prices: { ...DEFAULT_PRICES, ...config.LLM_PRICES }, chain };
}

function vendorProvider(link: ModelLink, config: LlmChainConfig): LlmProvider {
  switch (link.vendor) {
    case 'openai':
      return new OpenAIProvider({
        baseURL: config.OPENAI_BASE_URL,
        apiKey: config.OPENAI_API_KEY ?? PLACEHOLDER_KEY,
        model: link.model,
        timeoutMs: config.LLM_TIMEOUT_MS,
        ...(config.OPENAI_HEADERS && { headers: config.OPENAI_HEADERS }),
        maxTokensParam:
          config.OPENAI_MAX_TOKENS_PARAM ??
          (isOpenAIItself(config.OPENAI_BASE_URL) ? 'max_completion_tokens' : 'max_tokens'),
      });
    case 'anthropic':
      return new AnthropicProvider({
        baseURL: config.ANTHROPIC_BASE_URL,
        // Refused at start-up when missing (config.ts); never reached without one.
        apiKey: config.ANTHROPIC_API_KEY ?? '',
        model: link.model,
        timeoutMs: config.LLM_TIMEOUT_MS,
      });
  }
}
