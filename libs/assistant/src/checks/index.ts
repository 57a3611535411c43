import { AssistantProblemCode, type AssistantProblem } from '../errors';
import type { Entity } from '../schema/entity.schema';
import { SYSTEM_RESPONSE_PLACEHOLDERS, type SystemResponseKey } from '../schema/responses.schema';
import { known, type AssistantParts, type Loaded } from './context';
import { checkFlows } from './flows';
import { PlaceholderScope, checkTexts } from './texts';
import { checkTools } from './tools';

export type { AssistantParts, Loaded } from './context';
export { toolEnvironment, type ToolEnvironment } from './tools';

/** Everything the schemas cannot see: how the files refer to each other. */
export function checkReferences(parts: AssistantParts): AssistantProblem[] {
  return [
    ...checkAssistant(parts),
    ...checkResponses(parts),
    ...checkPolicies(parts),
    ...(parts.entities ? checkEntities(parts.entities) : []),
    ...(parts.tools ? checkTools(parts.tools) : []),
    ...checkIntents(parts),
    ...checkFlows(parts),
  ];
}

function checkAssistant({ assistant }: AssistantParts): AssistantProblem[] {
  if (!assistant) return [];
  const { source, value } = assistant;
  const problems: AssistantProblem[] = [];
  if (!value.languages.includes(value.default_language)) {
    problems.push(
      source.problem(
        AssistantProblemCode.Reference,
        ['default_language'],
        `"${value.default_language}" is not one of languages (${value.languages.join(', ')})`,
      ),
    );
  }
  value.languages.forEach((language, index) => {
    if (value.languages.indexOf(language) !== index) {
      problems.push(
        source.problem(AssistantProblemCode.Schema, ['languages', index], `"${language}" twice`),
      );
    }
  });
  return problems;
}

function checkResponses(parts: AssistantParts): AssistantProblem[] {
  if (!parts.responses) return [];
  const { source, value } = parts.responses;
  return Object.entries(value).flatMap(([key, translations]) =>
    checkTexts(
      parts,
      source,
      [key],
      translations,
      new PlaceholderScope(SYSTEM_RESPONSE_PLACEHOLDERS[key as SystemResponseKey], parts),
    ),
  );
}

function checkPolicies({ policies, intents, brokenIntents }: AssistantParts): AssistantProblem[] {
  if (!policies) return [];
  const names = [...intents.map((i) => i.value.name), ...brokenIntents];
  const lists: [string, string, string[]][] = [
    ['escalation', 'on_intents', policies.value.escalation.on_intents],
    ['privacy', 'erase_on_intents', policies.value.privacy.erase_on_intents],
  ];
  return lists.flatMap(([section, key, list]) =>
    list.flatMap((intent, index) =>
      names.includes(intent)
        ? []
        : [
            policies.source.problem(
              AssistantProblemCode.Reference,
              [section, key, index],
              `unknown intent "${intent}" ${known(names.sort())}`,
            ),
          ],
    ),
  );
}

/** Pattern examples match their pattern; no synonym means two values of one list. */
function checkEntities({ source, value }: Loaded<Record<string, Entity>>): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  for (const [name, entity] of Object.entries(value)) {
    if (entity.type === 'pattern') {
      const pattern = new RegExp(`^(?:${entity.pattern})$`, entity.case_sensitive ? 'u' : 'iu');
      entity.examples.forEach((example, index) => {
        if (!pattern.test(example)) {
          problems.push(
            source.problem(
              AssistantProblemCode.Reference,
              [name, 'examples', index],
              `"${example}" does not match the pattern ${entity.pattern}`,
            ),
          );
        }
      });
    }
    if (entity.type === 'list') {
      const owner = new Map<string, string>();
      for (const [canonical, synonyms] of Object.entries(entity.values)) {
        [canonical, ...synonyms].forEach((word, index) => {
          const key = word.toLowerCase();
          const other = owner.get(key);
          if (other !== undefined && other !== canonical) {
            problems.push(
              source.problem(
                AssistantProblemCode.Reference,
                index === 0 ? [name, 'values', canonical] : [name, 'values', canonical, index - 1],
                `"${word}" also means "${other}"`,
              ),
            );
          }
          owner.set(key, canonical);
        });
      }
    }
  }
  return problems;
}

const normalise = (example: string) => example.toLowerCase().replace(/\s+/g, ' ').trim();

function checkIntents(parts: AssistantParts): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  const exampleOwner = new Map<string, string>();
  const flowTriggers = new Set(parts.flows.map((flow) => flow.value.trigger));
  const escalating = parts.policies?.value.escalation.on_intents;
  const erasing = parts.policies?.value.privacy.erase_on_intents ?? [];
  const scope = new PlaceholderScope([], parts);

  for (const { source, value: intent } of parts.intents) {
    const report = (path: PropertyKey[], message: string) =>
      problems.push(source.problem(AssistantProblemCode.Reference, path, message));

    intent.examples.forEach((example, index) => {
      const key = normalise(example);
      const owner = exampleOwner.get(key);
      if (owner === intent.name) report(['examples', index], `"${example}" is listed twice`);
      else if (owner) report(['examples', index], `"${example}" is also an example of "${owner}"`);
      else exampleOwner.set(key, intent.name);
    });

    intent.knowledge?.forEach((file, index) => {
      if (!parts.knowledgeFiles.includes(file)) {
        report(['knowledge', index], `no knowledge/${file} ${known(parts.knowledgeFiles)}`);
      }
    });
    problems.push(...checkTexts(parts, source, ['responses'], intent.responses, scope));

    // Only judged when every flow and the policies were readable: one may hold the answer.
    if (parts.brokenFlows || !escalating) continue;
    const handlers = [
      intent.responses && 'responses',
      flowTriggers.has(intent.name) && 'a flow',
      intent.knowledge && 'knowledge',
      escalating.includes(intent.name) && 'escalation.on_intents',
      erasing.includes(intent.name) && 'privacy.erase_on_intents',
    ].filter((handler): handler is string => typeof handler === 'string');
    if (handlers.length === 0) {
      report(
        ['name'],
        'nothing answers this intent: give it responses or knowledge, start a flow with it, ' +
          'or list it in policies.yaml escalation.on_intents or privacy.erase_on_intents',
      );
    } else if (handlers.length > 1) {
      report(['name'], `answered in more than one way: ${handlers.join(' and ')}`);
    }
  }
  return problems;
}
