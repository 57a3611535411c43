import { loadAssistant } from '@parley/assistant';
import { loadToolSettings } from '@parley/config';
import {
  KnowledgeRepository,
  PiiVaultRepository,
  ToolCallRepository,
  type Database,
} from '@parley/db';
import { CardWarningEngine, DialogueEngine, KnowledgeEngine, type Engine } from '@parley/engine';
import { VaultOpener } from '@parley/guard';
import { trainClassifier } from '@parley/nlu';
import type { Logger } from '@parley/platform';
import { DEMO_CODE_TOOLS, ToolRunner } from '@parley/tools';
import type { CountryCode } from 'libphonenumber-js';

import type { OrchestratorConfig } from '../config';

/**
 * Builds the engine at start-up: loads and validates the assistant folder, trains its intent
 * classifier, and connects its tools. Any problem stops the process with the file and line.
 */
export async function createEngine(
  config: OrchestratorConfig,
  db: Database,
  logger: Logger,
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
  if (!config.PARLEY_VAULT_PRIVATE_KEY) {
    logger.warn(
      'PARLEY_VAULT_PRIVATE_KEY is not set: tools that need a customer’s email or phone will fail politely',
    );
  }
  const tools = new ToolRunner({
    tools: definition.tools,
    settings: loadToolSettings(definition.environment),
    code: DEMO_CODE_TOOLS,
    ledger: new ToolCallRepository(db),
    actor: 'orchestrator',
    phoneRegion: config.DEFAULT_PHONE_REGION as CountryCode,
    ...(config.PARLEY_VAULT_PRIVATE_KEY
      ? {
          vault: {
            repository: new PiiVaultRepository(db),
            opener: new VaultOpener(config.PARLEY_VAULT_PRIVATE_KEY),
          },
        }
      : {}),
  });
  return new CardWarningEngine(new DialogueEngine({ definition, classifier, knowledge, tools }));
}
