import { AssistantProblemCode, type AssistantProblem } from '../errors';
import { NUMERIC_ENTITIES, TEMPORAL_ENTITIES, type Entity } from '../schema/entity.schema';
import { FLOW_OUTCOMES, type Flow, type Slot } from '../schema/flow.schema';
import { resultFields } from '../schema/tool.schema';
import type { ValuePath, YamlSource } from '../source';
import { placeholdersOf } from '../template';
import { known, policyValue, type AssistantParts, type Loaded } from './context';
import { PlaceholderScope, checkTexts } from './texts';

const isNumeric = (entity: Entity | undefined) =>
  entity !== undefined && (NUMERIC_ENTITIES as readonly string[]).includes(entity.type);
const isTemporal = (entity: Entity | undefined) =>
  entity !== undefined && (TEMPORAL_ENTITIES as readonly string[]).includes(entity.type);

/** Every flow: its trigger, slots, tool, arguments, replies and their placeholders. */
export function checkFlows(parts: AssistantParts): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  const startedBy = new Map<string, string>();
  for (const flow of parts.flows) {
    problems.push(...checkFlow(parts, flow));
    const trigger = flow.value.trigger;
    const earlier = startedBy.get(trigger);
    if (earlier) {
      problems.push(
        flow.source.problem(
          AssistantProblemCode.Reference,
          ['trigger'],
          `intent "${trigger}" already starts flow "${earlier}"`,
        ),
      );
    } else {
      startedBy.set(trigger, flow.value.name);
    }
  }
  return problems;
}

function checkFlow(
  parts: AssistantParts,
  { source, value: flow }: Loaded<Flow>,
): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  const report = (path: ValuePath, message: string, needle?: string) =>
    problems.push(source.problem(AssistantProblemCode.Reference, path, message, { needle }));

  const intentNames = [...parts.intents.map((i) => i.value.name), ...parts.brokenIntents];
  if (!intentNames.includes(flow.trigger)) {
    report(['trigger'], `unknown intent "${flow.trigger}" ${known(intentNames.sort())}`);
  }

  const slotNames = Object.keys(flow.slots);
  const slotScope = new PlaceholderScope(slotNames, parts);
  const entities = parts.entities?.value;
  for (const [name, slot] of Object.entries(flow.slots)) {
    const path = ['slots', name];
    const entity = entities?.[slot.entity];
    if (entities && !entity) {
      report(
        [...path, 'entity'],
        `unknown entity "${slot.entity}" ${known(Object.keys(entities))}`,
      );
    }
    if (entity) problems.push(...checkValidation(source, path, slot, entity));
    problems.push(...checkTexts(parts, source, [...path, 'prompt'], slot.prompt, slotScope));
    problems.push(...checkTexts(parts, source, [...path, 'invalid'], slot.invalid, slotScope));
  }
  problems.push(...checkTexts(parts, source, ['confirm'], flow.confirm, slotScope));

  flow.escalate_when.forEach((rule, index) => {
    const path = ['escalate_when', index];
    const slot = flow.slots[rule.slot];
    if (!slot) {
      report([...path, 'slot'], `unknown slot "${rule.slot}" ${known(slotNames)}`);
    } else if (entities && !isNumeric(entities[slot.entity])) {
      report([...path, 'slot'], `slot "${rule.slot}" is not an amount or number`);
    }
    const policies = parts.policies?.value;
    if (policies && typeof policyValue(policies, rule.above) !== 'number') {
      report([...path, 'above'], `"${rule.above}" is not a number in policies.yaml`);
    }
    problems.push(...checkTexts(parts, source, [...path, 'reply'], rule.reply, slotScope));
  });

  const tools = parts.tools?.value;
  const tool = tools?.[flow.tool];
  if (!tool) {
    if (tools) report(['tool'], `unknown tool "${flow.tool}" ${known(Object.keys(tools))}`);
    const anyResult = slotScope.with([], ['result.']);
    for (const [outcome, reply] of Object.entries(flow.replies)) {
      problems.push(...checkTexts(parts, source, ['replies', outcome], reply, anyResult));
    }
    return problems;
  }

  if (tool.side_effects && !flow.confirm) {
    report(['tool'], `tool "${flow.tool}" has side effects: add a confirm question`);
  }
  const toolArgs = Object.keys(tool.args);
  for (const [arg, template] of Object.entries(flow.args)) {
    if (!toolArgs.includes(arg)) {
      report(['args', arg], `tool "${flow.tool}" has no argument "${arg}" ${known(toolArgs)}`);
    }
    for (const name of placeholdersOf(template)) {
      const reason = slotScope.reject(name);
      if (reason) report(['args', arg], reason, `{${name}}`);
    }
  }
  for (const [arg, declared] of Object.entries(tool.args)) {
    if (declared.required && !(arg in flow.args) && !(arg in flow.slots)) {
      report(
        ['tool'],
        `argument "${arg}" of tool "${flow.tool}" comes from no slot and no args entry`,
      );
    }
  }

  const outcomes = [FLOW_OUTCOMES.success, FLOW_OUTCOMES.failure, ...tool.outcomes];
  if (!flow.replies[FLOW_OUTCOMES.success]) report(['replies'], 'needs a success reply');
  const resultScope = slotScope.with(resultFields(tool).map((field) => `result.${field}`));
  for (const [outcome, reply] of Object.entries(flow.replies)) {
    const isOutcome = outcome === FLOW_OUTCOMES.declined || outcomes.includes(outcome);
    if (!isOutcome) {
      report(
        ['replies', outcome],
        `unknown outcome "${outcome}" ${known([...outcomes, FLOW_OUTCOMES.declined])}`,
      );
    }
    // Before the tool ran, or when it failed, there is no result to quote.
    const scope =
      outcome === FLOW_OUTCOMES.declined || outcome === FLOW_OUTCOMES.failure
        ? slotScope
        : resultScope;
    problems.push(...checkTexts(parts, source, ['replies', outcome], reply, scope));
  }
  flow.escalate_on.forEach((outcome, index) => {
    if (!outcomes.includes(outcome)) {
      report(['escalate_on', index], `unknown outcome "${outcome}" ${known(outcomes)}`);
    }
  });
  return problems;
}

/** Validation rules that make sense for the slot's entity. */
function checkValidation(
  source: YamlSource,
  path: ValuePath,
  slot: Slot,
  entity: Entity,
): AssistantProblem[] {
  const rules = slot.validate;
  if (!rules) return [];
  const problems: AssistantProblem[] = [];
  const report = (rule: string, message: string) =>
    problems.push(
      source.problem(AssistantProblemCode.Reference, [...path, 'validate', rule], message),
    );
  const kind = `entity "${slot.entity}" is ${entity.type}`;
  if ((rules.min !== undefined || rules.max !== undefined) && !isNumeric(entity)) {
    report(
      rules.min !== undefined ? 'min' : 'max',
      `min and max need an amount or number; ${kind}`,
    );
  }
  if (rules.one_of) {
    if (entity.type !== 'list') {
      report('one_of', `one_of needs a list entity; ${kind}`);
    } else {
      const values = Object.keys(entity.values);
      rules.one_of.forEach((value, index) => {
        if (!values.includes(value)) {
          problems.push(
            source.problem(
              AssistantProblemCode.Reference,
              [...path, 'validate', 'one_of', index],
              `"${value}" is not a value of entity "${slot.entity}" ${known(values)}`,
            ),
          );
        }
      });
    }
  }
  if (rules.future && !isTemporal(entity)) report('future', `future needs a date or time; ${kind}`);
  if (rules.within_business_hours && entity.type !== 'datetime' && entity.type !== 'time') {
    report('within_business_hours', `within_business_hours needs a datetime or time; ${kind}`);
  }
  if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
    report('min', 'min is greater than max');
  }
  return problems;
}
