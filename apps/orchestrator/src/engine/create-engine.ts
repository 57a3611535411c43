import { loadAssistant } from '@parley/assistant';
import { KnowledgeRepository, type Database } from '@parley/db';
import {
  CardWarningEngine,
  DialogueEngine,
  KnowledgeEngine,
  ModelResponder,
  type Engine,
} from '@parley/engine';
import { trainClassifier } from '@parley/nlu';
import type { Logger } from '@parley/platform';
import type { ToolExecutor } from '@parley/tools';

import type { OrchestratorConfig } from '../config';
import { createLlmChain } from './create-llm';

/**
 * Builds the engine at start-up: loads and validates the assistant folder and trains its intent
 * classifier; its tools run in the tools app. Any problem stops the process with the file and line.
 */
export async function createEngine(
  config: OrchestratorConfig,
  db: Database,
  logger: Logger,
  tools: ToolExecutor,
): Promise<Engine> {
  const knowledge = new KnowledgeEngine(new KnowledgeRepository(db), {
    language: config.KNOWLEDGE_LANGUAGE,
    minCoverage: config.KNOWLEDGE_MIN_COVERAGE,
    maxAnswerChars: config.ANSWER_MAX_CHARS,
  });
  if (config.PARLEY_ENGINE === 'knowledge') return new CardWarningEngine(knowledge);

  const definition = await loadAssistant(config.PARLEY_ASSISTANT_DIR);
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
  const llm = createLlmChain(config, logger);
  const model = llm && {
    responder: new ModelResponder({
      definition,
      provider: llm.provider,
      tools,
      prices: llm.prices,
      maxTokens: config.LLM_MAX_TOKENS,
      maxToolRounds: config.LLM_MAX_TOOL_ROUNDS,
      onFailure: (error) =>
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'no model answered: the built-in engine takes the turn',
        ),
    }),
    route: config.LLM_ROUTE,
    faqCoverage: config.LLM_FAQ_COVERAGE,
  };
  return new CardWarningEngine(
    new DialogueEngine({ definition, classifier, knowledge, tools, ...(model ? { model } : {}) }),
  );
}
