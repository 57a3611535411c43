import type { AssistantDefinition } from '@parley/assistant';
import { parseChain, type ChainLink } from '@parley/llm';

import type { Overrides } from './experiment.schema';

/**
 * The assistant as an arm sees it: the persona's fields replaced where the arm names them (the
 * built-in engine's replies and the model's prompt both read the persona), and the arm's prompt
 * appended to the persona's instructions, which the model's system prompt carries.
 */
export function withOverrides(
  definition: AssistantDefinition,
  overrides: Overrides,
): AssistantDefinition {
  if (!overrides.persona && !overrides.prompt) return definition;
  const persona = { ...definition.assistant.persona };
  const { name, tone, boundaries, instructions } = overrides.persona ?? {};
  if (name !== undefined) persona.name = name;
  if (tone !== undefined) persona.tone = tone;
  if (boundaries !== undefined) persona.boundaries = boundaries;
  if (instructions !== undefined) persona.instructions = instructions;
  if (overrides.prompt) {
    persona.instructions = [persona.instructions, overrides.prompt].filter(Boolean).join('\n');
  }
  return { ...definition, assistant: { ...definition.assistant, persona } };
}

const sameLink = (a: ChainLink, b: ChainLink) =>
  a.vendor === b.vendor && (a.vendor === 'builtin' || a.model === (b as typeof a).model);

/**
 * The chain with the arm's model first: it replaces the configured primary model, the rest of the
 * chain stays as its fallback (without a second copy of the arm's model). A chain without a model
 * (`builtin`) gets the arm's model in front of the built-in engine.
 */
export function chainWithModel(chain: readonly ChainLink[], model: string): ChainLink[] {
  const [primary] = parseChain(model);
  if (!primary) return [...chain];
  const rest = chain[0]?.vendor === 'builtin' ? chain : chain.slice(1);
  return [primary, ...rest.filter((link) => !sameLink(link, primary))];
}
