import pino from 'pino';

import { ConfigError, describeConfig, loadConfig } from '@parley/config';
import { DEFAULT_PRICES, type ChatRequest } from '@parley/llm';
import { startFakeAnthropic, startFakeOpenAI, type FakeLlmServer } from '@parley/testing';

import { orchestratorConfigSchema } from '../src/config';
import { createLlmChain } from '../src/engine/create-llm';

const REQUEST: ChatRequest = {
  messages: [{ role: 'user', content: 'Can I still return order ORD-30991?' }],
  maxTokens: 400,
};

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, output: () => lines.join('') };
}

/** Loads the config the way the orchestrator does at start-up, then builds the chain from it. */
function chainFrom(env: NodeJS.ProcessEnv) {
  const { logger, output } = capturingLogger();
  const config = loadConfig(orchestratorConfigSchema, env);
  return { llm: createLlmChain(config, logger), config, output };
}

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(orchestratorConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe(createLlmChain.name, () => {
  let openai: FakeLlmServer;
  let anthropic: FakeLlmServer;

  beforeAll(async () => {
    openai = await startFakeOpenAI();
    anthropic = await startFakeAnthropic();
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  it('answers through the OpenAI-compatible server, sending the key and OPENAI_HEADERS', async () => {
    openai.script({ kind: 'text', text: 'Yes, within 30 days.' });
    const { llm } = chainFrom({
      LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_API_KEY: 'sk-test-openai',
      OPENAI_HEADERS: '{"api-key":"azure-key-1","x-gateway-tenant":"parley"}',
    });
    const result = await llm!.provider.complete(REQUEST);
    expect(result).toMatchObject({ text: 'Yes, within 30 days.', provider: 'openai:gpt-4o-mini' });
    expect(llm!.chain).toBe('openai:gpt-4o-mini -> builtin');
    const [request] = openai.requests;
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer sk-test-openai',
      'api-key': 'azure-key-1',
      'x-gateway-tenant': 'parley',
    });
    expect(request!.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 400 });
  });

  it('answers from the second link when the first link’s server keeps failing, after LLM_MAX_RETRIES retries', async () => {
    openai.script({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    anthropic.script({ kind: 'text', text: 'Yes, within 30 days.' });
    const { llm } = chainFrom({
      LLM_CHAIN: 'openai:gpt-4o -> anthropic:claude-haiku-4-5 -> builtin',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_API_KEY: 'sk-test-openai',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      LLM_MAX_RETRIES: '1',
    });
    const result = await llm!.provider.complete(REQUEST);
    expect(result).toMatchObject({
      text: 'Yes, within 30 days.',
      provider: 'anthropic:claude-haiku-4-5',
    });
    expect(openai.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]!.headers.authorization).toBe('Bearer sk-ant-test');
  });

  it('needs no key for a local OpenAI-compatible server (Ollama), sending a placeholder and max_tokens', async () => {
    openai.script({ kind: 'text', text: 'Yes.' });
    const { llm, config } = chainFrom({
      LLM_CHAIN: 'openai:llama3.1:8b -> builtin',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LLM_MAX_TOKENS: '123',
    });
    await expect(
      llm!.provider.complete({ ...REQUEST, maxTokens: config.LLM_MAX_TOKENS }),
    ).resolves.toMatchObject({ text: 'Yes.', provider: 'openai:llama3.1:8b' });
    const [request] = openai.requests;
    expect(request!.headers.authorization).toMatch(/^Bearer \S+$/);
    expect(request!.body).toMatchObject({ model: 'llama3.1:8b', max_tokens: 123 });
  });

  it('refuses to start when the chain names openai: at api.openai.com without OPENAI_API_KEY, naming it', () => {
    const error = configErrorOf({ LLM_CHAIN: 'openai:gpt-4o-mini -> builtin' });
    expect(error.problems.map((problem) => problem.variable)).toEqual(['OPENAI_API_KEY']);
    expect(error.message).toMatch(
      /OPENAI_API_KEY: needed by LLM_CHAIN's openai:gpt-4o-mini at https:\/\/api\.openai\.com\/v1/,
    );
  });

  it('refuses to start when the chain names anthropic: without ANTHROPIC_API_KEY, naming it', () => {
    const error = configErrorOf({ LLM_CHAIN: 'anthropic:claude-haiku-4-5 -> builtin' });
    expect(error.message).toMatch(/ANTHROPIC_API_KEY: needed by LLM_CHAIN's anthropic:/);
  });

  it.each([
    ['mistral:large -> builtin', /LLM_CHAIN: unknown vendor "mistral"/],
    ['builtin -> openai:gpt-4o', /LLM_CHAIN: "builtin" must be the last link/],
    ['openai: -> builtin', /LLM_CHAIN: "openai:" names no model/],
    ['openai:gpt-4o -> openai:gpt-4o -> builtin', /LLM_CHAIN: names openai:gpt-4o twice/],
  ])('refuses to start with the chain spec "%s", saying why', (spec, message) => {
    expect(configErrorOf({ LLM_CHAIN: spec, OPENAI_API_KEY: 'sk-test' }).message).toMatch(message);
  });

  it.each([
    ['{"gpt-4o": ', /LLM_PRICES: is not valid JSON; it must be a JSON object of model names/],
    [
      '{"gpt-4o":{"inputPerMTok":-1,"outputPerMTok":10}}',
      /LLM_PRICES: invalid price table: gpt-4o\.inputPerMTok: .*; it must be a JSON object/,
    ],
  ])('refuses to start with LLM_PRICES=%s, saying what is expected', (prices, message) => {
    expect(configErrorOf({ LLM_PRICES: prices }).message).toMatch(message);
  });

  it('lays LLM_PRICES over the default prices', () => {
    const { llm } = chainFrom({
      LLM_CHAIN: 'openai:llama3.1:8b',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_PRICES:
        '{"llama3.1:8b":{"inputPerMTok":0,"outputPerMTok":0},"gpt-4o":{"inputPerMTok":2,"outputPerMTok":8}}',
    });
    expect(llm!.prices).toEqual({
      ...DEFAULT_PRICES,
      'llama3.1:8b': { inputPerMTok: 0, outputPerMTok: 0 },
      'gpt-4o': { inputPerMTok: 2, outputPerMTok: 8 },
    });
  });

  it.each([
    ['["api-key"]', /OPENAI_HEADERS: got an array; it must be a JSON object of header names/],
    ['{"api-key": 42}', /OPENAI_HEADERS: the value of "api-key" is not a string/],
    ['{"bad header":"x"}', /OPENAI_HEADERS: "bad header" is not a valid header name/],
    ['api-key: s3cret', /OPENAI_HEADERS: is not valid JSON/],
  ])('refuses to start with OPENAI_HEADERS=%s, without quoting its values', (headers, message) => {
    const error = configErrorOf({ OPENAI_HEADERS: headers });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret');
  });

  it.each([{}, { LLM_CHAIN: 'builtin' }])('gives null for %j: the built-in engine alone', (env) => {
    const { llm, output } = chainFrom(env);
    expect(llm).toBeNull();
    expect(output()).toContain('no LLM configured');
  });

  it('logs the active chain at start-up, never the key or header values', () => {
    const { config, output } = chainFrom({
      LLM_CHAIN: 'openai:gpt-4o-mini -> anthropic:claude-haiku-4-5 -> builtin',
      OPENAI_API_KEY: 'sk-secret-openai',
      OPENAI_HEADERS: '{"api-key":"secret-azure-key"}',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
    });
    const logged = output() + JSON.stringify(describeConfig(orchestratorConfigSchema, config));
    expect(output()).toMatch(
      /"chain":"openai:gpt-4o-mini -> anthropic:claude-haiku-4-5 -> builtin".*"LLM chain active"/,
    );
    expect(logged).not.toMatch(/sk-secret-openai|secret-azure-key|sk-ant-secret/);
  });
});
