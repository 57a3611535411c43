import {
  NUMERIC_ENTITIES,
  placeholdersOf,
  renderTemplate,
  type AssistantDefinition,
  type Flow,
  type Slot,
} from '@parley/assistant';
import { FORBIDDEN, IDENTITY_REQUIRED, type ToolExecutor } from '@parley/tools';

import type { TurnInput } from '../engine';

import { DEFAULT_TEXTS } from './defaults';
import { extractEntity, type ExtractionContext } from './entities';
import { isOpen, policyNumber } from './policies';
import { say } from './say';
import type { ActiveFlow, SlotValue } from './state';

export interface FlowTurn {
  language: string;
  channel: TurnInput['channel'];
  capabilities: TurnInput['capabilities'];
  seed: number;
  now: Date;
  messageId: string;
  assistantId: string;
  conversationId: string;
  customerId: string;
  /** The channel vouched for who the customer is (see TurnContext.verified). */
  verified: boolean;
}

/** What advancing a flow produced: what to say, and whether it finished or handed over. */
export interface FlowStep {
  replies: { text: string; quickReplies?: string[] }[];
  flow: ActiveFlow | null;
  /** A slot whose value failed validation and is asked for again. */
  rejected?: string;
  escalate?: string;
  /** Set when the tool ran: the outcome and a line for the conversation's summary. */
  completed?: { outcome: string; summary: string };
}

const YES_NO: Record<string, [string, string]> = { en: ['Yes', 'No'], de: ['Ja', 'Nein'] };

/** The Yes / No quick replies in the customer's language, in that order (1 = yes, 2 = no). */
export const yesNo = (language: string): string[] => [...(YES_NO[language] ?? YES_NO.en!)];

/**
 * Moves a flow forward: asks for the next missing slot, applies the policy limits of
 * `escalate_when`, asks for confirmation before side effects, runs the tool, and answers with the
 * reply for its outcome. Decisions come from the assistant's files, never from guesswork.
 */
export class FlowRunner {
  constructor(
    private readonly definition: AssistantDefinition,
    private readonly tools: ToolExecutor | null,
  ) {}

  flowByName(name: string): Flow | undefined {
    return this.definition.flows.find((f) => f.name === name);
  }

  flowFor(intent: string): Flow | undefined {
    return this.definition.flows.find((f) => f.trigger === intent);
  }

  start(flow: Flow): ActiveFlow {
    return { name: flow.name, slots: {}, awaiting: null, attempts: 0 };
  }

  /**
   * A flow whose tool acts on the customer's account, asked by a customer the channel has not
   * verified, is refused before its first question. The tools app refuses such a call too; this
   * only spares the customer questions that lead nowhere.
   */
  refusal(flow: Flow, turn: FlowTurn): FlowStep | null {
    if (turn.verified || this.definition.tools[flow.tool]?.access !== 'customer') return null;
    return {
      flow: null,
      replies: [{ text: this.text(this.definition.responses.sign_in_required, turn, {}) }],
    };
  }

  /** Fills every slot of the flow that the message mentions; returns the names filled. */
  fillFrom(
    flow: Flow,
    active: ActiveFlow,
    text: string,
    context: Omit<ExtractionContext, 'asked'>,
  ): string[] {
    const filled: string[] = [];
    for (const [name, slot] of Object.entries(flow.slots)) {
      const entity = this.definition.entities[slot.entity];
      if (!entity) continue;
      // Free text only answers the question being asked, or it would swallow every message.
      const value = extractEntity(entity, text, { ...context, asked: active.awaiting === name });
      if (!value) continue;
      if (active.slots[name]?.value === value.value) continue;
      active.slots[name] = value;
      filled.push(name);
    }
    return filled;
  }

  /** Why a value cannot be used for the slot, or null when it can. */
  invalid(slot: Slot, value: SlotValue, now: Date): string | null {
    const rules = slot.validate;
    if (!rules) return null;
    const entity = this.definition.entities[slot.entity];
    const numeric = entity && (NUMERIC_ENTITIES as readonly string[]).includes(entity.type);
    if (numeric && typeof value.value === 'number') {
      if (rules.min !== undefined && value.value < rules.min) return 'below_min';
      if (rules.max !== undefined && value.value > rules.max) return 'above_max';
    }
    if (rules.pattern && !new RegExp(rules.pattern, 'u').test(String(value.value)))
      return 'pattern';
    if (rules.one_of && !rules.one_of.includes(String(value.value))) return 'one_of';
    if (rules.future || rules.within_business_hours) {
      const at = new Date(String(value.value));
      if (Number.isNaN(at.getTime())) return 'not_a_time';
      if (rules.future && at.getTime() <= now.getTime()) return 'past';
      if (rules.within_business_hours && !isOpen(this.definition.policies.business_hours, at))
        return 'closed';
    }
    return null;
  }

  /** The next step once the customer's message has been applied to `active`. */
  async advance(
    flow: Flow,
    active: ActiveFlow,
    turn: FlowTurn,
    confirmed = false,
  ): Promise<FlowStep> {
    // Every value is validated however it arrived: asked for, volunteered, or corrected.
    for (const [name, slot] of Object.entries(flow.slots)) {
      const value = active.slots[name];
      if (!value || !this.invalid(slot, value, turn.now)) continue;
      delete active.slots[name];
      const attempts = active.awaiting === name ? active.attempts + 1 : 1;
      const question = slot.invalid
        ? this.text(slot.invalid, turn, this.values(active))
        : `${this.text(DEFAULT_TEXTS.invalid, turn, {})} ${this.text(slot.prompt, turn, this.values(active))}`;
      return {
        flow: { ...active, awaiting: name, attempts },
        replies: [{ text: question }],
        rejected: name,
      };
    }
    const values = this.values(active);
    const missing = Object.entries(flow.slots).find(
      ([name, slot]) => slot.required && !active.slots[name],
    );
    if (missing) {
      const [name, slot] = missing;
      const next = {
        ...active,
        awaiting: name,
        attempts: active.awaiting === name ? active.attempts : 0,
      };
      return { flow: next, replies: [{ text: this.text(slot.prompt, turn, values) }] };
    }
    for (const rule of flow.escalate_when) {
      const value = active.slots[rule.slot]?.value;
      const limit = policyNumber(this.definition.policies, rule.above);
      if (typeof value === 'number' && limit !== null && value > limit) {
        return {
          flow: null,
          replies: [{ text: this.text(rule.reply, turn, values) }],
          escalate: `policy: ${flow.name} ${rule.slot} ${value} over ${rule.above} ${limit}`,
          completed: {
            outcome: 'escalated',
            summary: `${this.describe(flow, active)}: handed to a person (over ${limit})`,
          },
        };
      }
    }
    if (flow.confirm && !confirmed) {
      return {
        flow: { ...active, awaiting: 'confirm', attempts: 0 },
        replies: [
          { text: this.text(flow.confirm, turn, values), quickReplies: yesNo(turn.language) },
        ],
      };
    }
    return this.act(flow, active, turn);
  }

  /** The question the flow is waiting on, asked again: its slot's prompt or the confirmation. */
  question(
    flow: Flow,
    active: ActiveFlow,
    turn: FlowTurn,
  ): { text: string; quickReplies?: string[] } {
    const slot =
      active.awaiting && active.awaiting !== 'confirm' ? flow.slots[active.awaiting] : undefined;
    if (slot) return { text: this.text(slot.prompt, turn, this.values(active)) };
    return {
      text: this.text(flow.confirm, turn, this.values(active)),
      quickReplies: yesNo(turn.language),
    };
  }

  /** The customer said no to the confirmation. */
  declined(flow: Flow, active: ActiveFlow, turn: FlowTurn): FlowStep {
    const texts = flow.replies.declined ?? this.definition.responses.cancelled;
    return {
      flow: null,
      replies: [{ text: this.text(texts, turn, this.values(active)) }],
      completed: {
        outcome: 'declined',
        summary: `${this.describe(flow, active)}: cancelled by the customer`,
      },
    };
  }

  private async act(flow: Flow, active: ActiveFlow, turn: FlowTurn): Promise<FlowStep> {
    const result = this.tools
      ? await this.tools.run(flow.tool, this.args(flow, active), {
          assistantId: turn.assistantId,
          conversationId: turn.conversationId,
          customerId: turn.customerId,
          messageId: turn.messageId,
        })
      : { outcome: 'failure', fields: {}, error: 'no tool runner configured', durationMs: 0 };
    const outcome =
      flow.replies[result.outcome] || this.standardReply(result.outcome)
        ? result.outcome
        : 'success';
    const texts = flow.replies[outcome] ?? this.standardReply(outcome) ?? flow.replies.success;
    const reply = this.text(texts, turn, { ...this.values(active), result: result.fields });
    const escalate = flow.escalate_on.includes(result.outcome)
      ? `tool: ${flow.name} ${result.outcome}`
      : undefined;
    return {
      flow: null,
      replies: [{ text: reply }],
      ...(escalate ? { escalate } : {}),
      completed: {
        outcome: result.outcome,
        summary: `${this.describe(flow, active)}: ${result.outcome.replace(/_/g, ' ')}`,
      },
    };
  }

  /** Tool arguments: the flow's templates (a lone placeholder keeps its type), else the slot. */
  private args(flow: Flow, active: ActiveFlow): Record<string, unknown> {
    const tool = this.definition.tools[flow.tool];
    const raw = {
      ...Object.fromEntries(Object.entries(active.slots).map(([k, v]) => [k, v.value])),
      policy: this.definition.policies,
    };
    const args: Record<string, unknown> = {};
    for (const name of Object.keys(tool?.args ?? {})) {
      const template = flow.args[name];
      if (template === undefined) {
        if (active.slots[name]) args[name] = active.slots[name].value;
        continue;
      }
      const names = placeholdersOf(template);
      args[name] =
        names.length === 1 && template.trim() === `{${names[0]}}`
          ? lookup(raw, names[0]!)
          : renderTemplate(template, raw);
    }
    return args;
  }

  private values(active: ActiveFlow): Record<string, unknown> {
    return {
      ...Object.fromEntries(Object.entries(active.slots).map(([k, v]) => [k, v.display])),
      policy: this.definition.policies,
      persona: this.definition.assistant.persona,
      assistant: { name: this.definition.assistant.name },
    };
  }

  /** Outcomes every tool may have, answered from responses.yaml unless the flow says otherwise. */
  private standardReply(outcome: string) {
    const responses = this.definition.responses;
    if (outcome === 'failure') return responses.tool_error;
    if (outcome === IDENTITY_REQUIRED) return responses.sign_in_required;
    if (outcome === FORBIDDEN) return responses.not_your_account;
    return undefined;
  }

  private text(
    texts: Parameters<typeof say>[0],
    turn: FlowTurn,
    values: Record<string, unknown>,
  ): string {
    return say(texts, turn.language, this.definition.assistant.default_language, values, turn.seed);
  }

  private rank(flow: Flow, slot: string): number {
    const entity = this.definition.entities[flow.slots[slot]?.entity ?? ''];
    return entity?.type === 'pattern' ? 0 : entity?.type === 'list' ? 1 : 2;
  }

  /** "order_status ORD-10482": the flow and its identifying slot, for summaries and facts. */
  describe(flow: Flow, active: ActiveFlow): string {
    // Prefer an identifier (a pattern entity such as an order number) over other slots.
    const ranked = Object.entries(active.slots).sort(
      ([a], [b]) => this.rank(flow, a) - this.rank(flow, b),
    );
    const first = ranked.map(([, v]) => v).find((v) => !String(v.value).startsWith('vault://'));
    return `${flow.name.replace(/_/g, ' ')}${first ? ` ${first.display}` : ''}`;
  }
}

function lookup(values: Record<string, unknown>, path: string): unknown {
  let value: unknown = values;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
