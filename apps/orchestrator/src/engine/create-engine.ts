import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';

import { loadAssistant, type AssistantDefinition } from '@parley/assistant';
import { ExperimentRepository, KnowledgeRepository, type Database } from '@parley/db';
import {
  CardWarningEngine,
  DialogueEngine,
  KnowledgeEngine,
  ModelResponder,
  type BudgetScope,
  type BudgetTurn,
  type Engine,
  type ResponseCache,
} from '@parley/engine';
import { chainWithModel, withOverrides } from '@parley/experiments';
import { costOf, type ChainLink } from '@parley/llm';
import { trainClassifier } from '@parley/nlu';
import type { Logger } from '@parley/platform';
import type { ToolExecutor } from '@parley/tools';

import { linkId, type OrchestratorConfig } from '../config';
import { ExperimentEngine, RunningExperiments } from '../experiments/experiment-engine';
import { createLlmChain, type LlmChain } from './create-llm';
import { RedisModelBudget, RedisResponseCache } from './model-limits';

/** What the engine is built with besides its settings. */
export interface EngineDeps {
  db: Database;
  redis: Redis;
  logger: Logger;
  metrics: Registry;
  tools: ToolExecutor;
  /** The assistant folder, when already loaded (else it is loaded here). */
  definition?: AssistantDefinition | null;
}

/**
 * Builds the engine at start-up: loads and validates the assistant folder and trains its intent
 * classifier; its tools run in the tools app. Any problem stops the process with the file and line.
 */
export async function createEngine(
  config: OrchestratorConfig,
  { db, redis, logger, metrics, tools, definition: loaded }: EngineDeps,
): Promise<Engine> {
  const knowledge = new KnowledgeEngine(new KnowledgeRepository(db), {
    language: config.KNOWLEDGE_LANGUAGE,
    minCoverage: config.KNOWLEDGE_MIN_COVERAGE,
    maxAnswerChars: config.ANSWER_MAX_CHARS,
  });
  if (config.PARLEY_ENGINE === 'knowledge') return new CardWarningEngine(knowledge);

  const definition = loaded ?? (await loadAssistant(config.PARLEY_ASSISTANT_DIR));
  const started = performance.now();
  const classifier = trainClassifier(
    definition.intents.flatMap((intent) =>
      intent.examples.map((text) => ({ text, intent: intent.name })),
    ),
  );
  logger.info(
    {
      assistant: definition.assistant.id,
      intents: classifier.intents.length,
      threshold: Math.round(classifier.threshold * 1000) / 1000,
      trainMs: Math.round(performance.now() - started),
    },
    'intent classifier trained',
  );
  // One chain per distinct chain spec (experiment arms may name another primary model).
  const chains = new Map<string, LlmChain | null>();
  const chainFor = (links: ChainLink[]) => {
    const id = links.map(linkId).join(' -> ');
    if (!chains.has(id)) chains.set(id, createLlmChain({ ...config, LLM_CHAIN: links }, logger));
    return chains.get(id)!;
  };
  const llm = chainFor(config.LLM_CHAIN);
  if (llm && config.LLM_ASSISTANT_DAILY_USD > 0) {
    const unpriced = config.LLM_CHAIN.flatMap((link) =>
      link.vendor !== 'builtin' &&
      costOf({ inputTokens: 1, outputTokens: 1 }, link.model, llm.prices) === null
        ? [link.model]
        : [],
    );
    if (unpriced.length) {
      logger.warn(
        { models: unpriced },
        'LLM_ASSISTANT_DAILY_USD does not count models without a price: add them to LLM_PRICES',
      );
    }
  }
  // Built once: their metrics are registered once per process, whatever the engines built.
  const onBudgetExceeded = budgetReporter(logger, metrics);
  const onUngrounded = ungroundedReporter(logger, metrics);
  const budget = new RedisModelBudget(redis, config.PARLEY_QUEUE_PREFIX, {
    conversationTokens: config.LLM_CONVERSATION_MAX_TOKENS,
    customerDailyTokens: config.LLM_CUSTOMER_DAILY_TOKENS,
    assistantDailyUsd: config.LLM_ASSISTANT_DAILY_USD,
  });
  const responseCache =
    config.LLM_CACHE_TTL_S > 0
      ? new RedisResponseCache(redis, config.PARLEY_QUEUE_PREFIX, config.LLM_CACHE_TTL_S)
      : null;
  const dialogue = (
    assistant: AssistantDefinition,
    chain: LlmChain | null,
    cache: ResponseCache | null,
  ): Engine => {
    const model = chain && {
      responder: new ModelResponder({
        definition: assistant,
        provider: chain.provider,
        tools,
        prices: chain.prices,
        maxTokens: config.LLM_MAX_TOKENS,
        maxToolRounds: config.LLM_MAX_TOOL_ROUNDS,
        onFailure: (error) =>
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'no model answered: the built-in engine takes the turn',
          ),
        checkGrounding: config.LLM_GROUNDING_CHECK,
        onUngrounded,
      }),
      route: config.LLM_ROUTE,
      faqCoverage: config.LLM_FAQ_COVERAGE,
      budget,
      onBudgetExceeded,
      ...(cache ? { cache } : {}),
    };
    return new CardWarningEngine(
      new DialogueEngine({
        definition: assistant,
        classifier,
        knowledge,
        tools,
        ...(model ? { model } : {}),
      }),
    );
  };
  const base = dialogue(definition, llm, responseCache);
  const experiments = new ExperimentRepository(db);
  return new ExperimentEngine(
    base,
    (experimentId, arm) => {
      const { model } = arm.overrides;
      logger.info({ experimentId, arm: arm.name }, 'engine built for an experiment arm');
      return dialogue(
        withOverrides(definition, arm.overrides),
        model ? chainFor(chainWithModel(config.LLM_CHAIN, model)) : llm,
        // A persona or prompt changes answers: an arm never reuses another's cached ones.
        responseCache && scoped(responseCache, `${experimentId}:${arm.name}`),
      );
    },
    new RunningExperiments(experiments, config.EXPERIMENTS_REFRESH_MS, logger),
    experiments,
  );
}

function scoped(cache: ResponseCache, scope: string): ResponseCache {
  return {
    get: (key) => cache.get(`${scope}:${key}`),
    set: (key, text) => cache.set(`${scope}:${key}`, text),
  };
}

function budgetReporter(logger: Logger, metrics: Registry) {
  const exceeded = new Counter({
    name: 'parley_llm_budget_exceeded_total',
    help: 'Turns the built-in engine answered because a model budget was spent, by budget',
    labelNames: ['scope'],
    registers: [metrics],
  });
  return (scope: BudgetScope, turn: BudgetTurn) => {
    exceeded.inc({ scope });
    logger.info(
      { scope, conversationId: turn.conversationId, customerId: turn.customerId },
      'model budget spent: the built-in engine answers',
    );
  };
}

function ungroundedReporter(logger: Logger, metrics: Registry) {
  const ungrounded = new Counter({
    name: 'parley_llm_ungrounded_total',
    help: 'Model replies set aside because they stated specifics nothing the model was shown supports',
    registers: [metrics],
  });
  return (unsupported: string[]) => {
    ungrounded.inc();
    // Masked text: the specifics are numbers, links and placeholders, never a customer's data.
    logger.warn({ unsupported }, 'model reply not grounded: the built-in engine takes the turn');
  };
}
