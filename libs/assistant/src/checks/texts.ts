import { AssistantProblemCode, type AssistantProblem } from '../errors';
import type { Translations } from '../schema/common';
import type { ValuePath, YamlSource } from '../source';
import { placeholdersOf } from '../template';
import { policyValue, type AssistantParts } from './context';

/** Placeholders every text may use, whatever it belongs to. */
const GLOBAL_PLACEHOLDERS = ['assistant.name', 'persona.name'];

/** What the placeholders of one text may name: its own names plus the globals and `policy.*`. */
export class PlaceholderScope {
  constructor(
    private readonly names: readonly string[],
    private readonly parts: AssistantParts,
    /** Prefixes accepted unchecked, e.g. `result.` when the tool is unknown (reported already). */
    private readonly unchecked: readonly string[] = [],
  ) {}

  with(names: readonly string[], unchecked: readonly string[] = []): PlaceholderScope {
    return new PlaceholderScope([...this.names, ...names], this.parts, [
      ...this.unchecked,
      ...unchecked,
    ]);
  }

  /** Why `name` cannot be filled, or undefined when it can. */
  reject(name: string): string | undefined {
    if (this.names.includes(name) || GLOBAL_PLACEHOLDERS.includes(name)) return undefined;
    if (this.unchecked.some((prefix) => name.startsWith(prefix))) return undefined;
    if (name.startsWith('policy.')) {
      const policies = this.parts.policies?.value;
      if (!policies) return undefined;
      const value = policyValue(policies, name.slice('policy.'.length));
      return ['string', 'number', 'boolean'].includes(typeof value)
        ? undefined
        : `{${name}} is not a value in policies.yaml`;
    }
    const options = [...this.names, ...GLOBAL_PLACEHOLDERS, 'policy.…'].map((n) => `{${n}}`);
    return `unknown placeholder {${name}}; use one of ${options.join(', ')}`;
  }
}

/**
 * A text's languages are the assistant's, its default language is present, and its placeholders
 * are in scope.
 */
export function checkTexts(
  parts: AssistantParts,
  source: YamlSource,
  path: ValuePath,
  translations: Translations | undefined,
  scope: PlaceholderScope,
): AssistantProblem[] {
  if (!translations) return [];
  const problems: AssistantProblem[] = [];
  const assistant = parts.assistant?.value;
  if (assistant) {
    for (const language of Object.keys(translations)) {
      if (!assistant.languages.includes(language)) {
        problems.push(
          source.problem(
            AssistantProblemCode.Reference,
            [...path, language],
            `language "${language}" is not in assistant.yaml languages (${assistant.languages.join(', ')})`,
          ),
        );
      }
    }
    if (!translations[assistant.default_language]) {
      problems.push(
        source.problem(
          AssistantProblemCode.Reference,
          path,
          `no text in the default language "${assistant.default_language}"`,
        ),
      );
    }
  }
  for (const [language, variants] of Object.entries(translations)) {
    variants.forEach((variant, index) => {
      const at = variants.length === 1 ? [...path, language] : [...path, language, index];
      for (const name of new Set(placeholdersOf(variant))) {
        const reason = scope.reject(name);
        if (reason) {
          problems.push(
            source.problem(AssistantProblemCode.Reference, at, reason, { needle: `{${name}}` }),
          );
        }
      }
    });
  }
  return problems;
}
