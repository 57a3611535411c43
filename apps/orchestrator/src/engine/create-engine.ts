import { loadAssistant } from '@parley/assistant';
import { KnowledgeRepository, type Database } from '@parley/db';
import { CardWarningEngine, DialogueEngine, KnowledgeEngine, type Engine } from '@parley/engine';
import { trainClassifier } from '@parley/nlu';
import type { Logger } from '@parley/platform';
import type { ToolExecutor } from '@parley/tools';

import type { OrchestratorConfig } from '../config';

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
  return new CardWarningEngine(new DialogueEngine({ definition, classifier, knowledge, tools }));
}
