import type { AssistantFile } from '../schema/assistant.schema';
import type { Entity } from '../schema/entity.schema';
import type { Flow } from '../schema/flow.schema';
import type { Intent } from '../schema/intent.schema';
import type { Policies } from '../schema/policies.schema';
import type { SystemResponses } from '../schema/responses.schema';
import type { Tool } from '../schema/tool.schema';
import type { YamlSource } from '../source';

/** A file's validated content and where it came from (an absent optional file has an empty one). */
export interface Loaded<T> {
  source: YamlSource;
  value: T;
}

/**
 * Everything that passed the schema, file by file. A part that did not is undefined, and checks that
 * need it are skipped, so one mistake is not reported again as a dozen unknown references.
 */
export interface AssistantParts {
  assistant?: Loaded<AssistantFile>;
  policies?: Loaded<Policies>;
  responses?: Loaded<SystemResponses>;
  entities?: Loaded<Record<string, Entity>>;
  tools?: Loaded<Record<string, Tool>>;
  intents: Loaded<Intent>[];
  flows: Loaded<Flow>[];
  /** Names (file names) of intent files that did not validate. */
  brokenIntents: string[];
  /** Whether some flow file did not validate (so an intent may have a flow we cannot see). */
  brokenFlows: boolean;
  /** File names in knowledge/. */
  knowledgeFiles: string[];
}

/** `(known: a, b, c)`, shortened for long lists. */
export function known(names: readonly string[]): string {
  if (names.length === 0) return '(none declared)';
  const shown = names.slice(0, 12).join(', ');
  return `(known: ${names.length > 12 ? `${shown}, …` : shown})`;
}

/** The value at a dotted path in policies, if there is one. */
export function policyValue(policies: Policies, path: string): unknown {
  let value: unknown = policies;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
