import { z } from 'zod';

import {
  AssistantDefinitionError,
  assistantConfigShape,
  formatProblem,
  loadAssistant,
  type AssistantDefinition,
} from '@parley/assistant';
import { loadConfig } from '@parley/config';

/** PARLEY_ASSISTANT_DIR, or the demo assistant; read only when no folder was given. */
export function configuredAssistantDir(): string {
  return loadConfig(z.object(assistantConfigShape)).PARLEY_ASSISTANT_DIR;
}

/** Validates an assistant folder; prints a summary or every problem. Returns the exit code. */
export async function checkAssistant(dir: string): Promise<number> {
  try {
    console.log(summary(dir, await loadAssistant(dir)));
    return 0;
  } catch (error) {
    if (!(error instanceof AssistantDefinitionError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    const count = error.problems.length;
    console.error(`\n${error.dir}: ${count} ${count === 1 ? 'problem' : 'problems'}`);
    return 1;
  }
}

function summary(dir: string, definition: AssistantDefinition): string {
  const { assistant, intents, entities, flows, tools, knowledge, environment } = definition;
  const examples = intents.reduce((sum, intent) => sum + intent.examples.length, 0);
  const entityKinds = countBy(Object.values(entities), (e) =>
    e.type === 'pattern' || e.type === 'list' ? e.type : 'builtin',
  );
  const toolKinds = countBy(Object.values(tools), (t) => t.type);
  const env = [...environment.config, ...environment.secrets.map((s) => `${s} (secret)`)];
  return [
    `${dir}: ${assistant.name} (${assistant.id}), languages ${assistant.languages.join(', ')} ` +
      `(default ${assistant.default_language})`,
    `  intents    ${intents.length}, ${examples} examples`,
    `  entities   ${Object.keys(entities).length} (${entityKinds})`,
    `  flows      ${flows.length}`,
    `  tools      ${Object.keys(tools).length} (${toolKinds})`,
    `  knowledge  ${knowledge.length} documents`,
    ...(env.length > 0 ? [`  env        ${env.join(', ')}`] : []),
    'OK',
  ].join('\n');
}

/** `3 pattern, 2 list` */
function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} ${name}`).join(', ') || 'none';
}
