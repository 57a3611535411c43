import { loadAssistant } from '@parley/assistant';
import { loadToolSettings } from '@parley/config';
import { PiiVaultRepository, ToolCallRepository, type Database } from '@parley/db';
import { VaultOpener } from '@parley/guard';
import type { Logger } from '@parley/platform';
import { DEMO_CODE_TOOLS, ToolRunner } from '@parley/tools';
import type { CountryCode } from 'libphonenumber-js';

import type { ToolsConfig } from './config';

/**
 * Loads the assistant's tool declarations and the settings they need at start-up: a missing
 * secret or a broken declaration stops the process with the variable or file:line named.
 */
export async function createToolRunner(
  config: ToolsConfig,
  db: Database,
  logger: Logger,
): Promise<ToolRunner> {
  const definition = await loadAssistant(config.PARLEY_ASSISTANT_DIR);
  if (!config.PARLEY_VAULT_PRIVATE_KEY) {
    logger.warn(
      'PARLEY_VAULT_PRIVATE_KEY is not set: tools that need a customer’s email or phone will fail politely',
    );
  }
  logger.info(
    { assistant: definition.assistant.id, tools: Object.keys(definition.tools).length },
    'tools loaded',
  );
  return new ToolRunner({
    tools: definition.tools,
    settings: loadToolSettings(definition.environment),
    code: DEMO_CODE_TOOLS,
    ledger: new ToolCallRepository(db),
    actor: 'tools',
    phoneRegion: config.DEFAULT_PHONE_REGION as CountryCode,
    breaker: {
      threshold: config.TOOL_BREAKER_THRESHOLD,
      halfOpenAfterMs: config.TOOL_BREAKER_HALF_OPEN_MS,
    },
    ...(config.PARLEY_VAULT_PRIVATE_KEY
      ? {
          vault: {
            repository: new PiiVaultRepository(db),
            opener: new VaultOpener(config.PARLEY_VAULT_PRIVATE_KEY),
          },
        }
      : {}),
  });
}
