import { AnthropicProvider, OpenAIProvider, type ProviderConfig } from '../../src';

import type { FakeLlmServer } from '@parley/testing';

type Overrides = Partial<ProviderConfig> & {
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
};

/** The real OpenAI adapter, pointed at a fake (or any base URL). */
export const openAIAt = (server: FakeLlmServer | string, overrides: Overrides = {}) =>
  new OpenAIProvider({
    baseURL: `${typeof server === 'string' ? server : server.url}/v1`,
    apiKey: 'sk-test-openai',
    model: 'gpt-4o-mini',
    timeoutMs: 5_000,
    ...overrides,
  });

/** The real Anthropic adapter, pointed at a fake (or any base URL). */
export const anthropicAt = (
  server: FakeLlmServer | string,
  overrides: Partial<ProviderConfig> = {},
) =>
  new AnthropicProvider({
    baseURL: typeof server === 'string' ? server : server.url,
    apiKey: 'sk-ant-test',
    model: 'claude-haiku-4-5',
    timeoutMs: 5_000,
    ...overrides,
  });
