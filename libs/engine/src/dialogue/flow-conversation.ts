import type { AssistantDefinition, Flow } from '@parley/assistant';
import { OUT_OF_SCOPE, type Classification } from '@parley/nlu';

import { DEFAULT_TEXTS, NO, YES } from './defaults';
import type { ExtractionContext } from './entities';
import type { FlowRunner, FlowStep, FlowTurn } from './flow-runner';
import { say } from './say';
import type { ActiveFlow } from './state';
import { labelOf, type TurnOutput } from './turn-output';

/** Answers a question that needs no flow (a digression), in the engine's own way. */
export type AnswerIntent = (
  intent: string,
  text: string,
  out: TurnOutput,
  turn: FlowTurn,
) => Promise<void>;

/** Below this, a message in the middle of a flow is not taken as a request for something else. */
const DIGRESSION_CONFIDENCE = 0.6;

/**
 * The conversation around a flow: reading the customer's answers to its questions (slots, yes or
 * no), corrections of a finished flow, digressions answered before coming back, and handing over
 * after too many failed answers. What the flow itself decides is FlowRunner's.
 */
export class FlowConversation {
  constructor(
    private readonly def: AssistantDefinition,
    private readonly flows: FlowRunner,
    private readonly answer: AnswerIntent,
  ) {}

  /** Starts the flow an intent triggers, with whatever slots the message already holds. */
  async start(flow: Flow, text: string, out: TurnOutput, turn: FlowTurn) {
    out.state.failures = 0;
    out.state.lastFlow = null;
    const active = this.flows.start(flow);
    const refused = this.flows.refusal(flow, turn);
    if (refused) return this.apply(flow, active, refused, out);
    this.flows.fillFrom(flow, active, text, this.extraction(turn));
    this.apply(flow, active, await this.flows.advance(flow, active, turn), out);
  }

  /** Reads the message as the answer to the flow's question; false when it is not about the flow. */
  async continue(
    active: ActiveFlow,
    text: string,
    classification: Classification,
    out: TurnOutput,
    turn: FlowTurn,
  ): Promise<boolean> {
    const flow = this.flows.flowByName(active.name);
    if (!flow) {
      out.state.flow = null;
      return false;
    }
    out.intent = `flow.${flow.name}`;
    const trimmed = text.trim();
    const other = this.otherRequest(classification, flow);
    if (active.awaiting === 'confirm') {
      // "No, make it ORD-20417" changes a value, so the new values are confirmed.
      if (this.flows.fillFrom(flow, active, text, this.extraction(turn)).length > 0) {
        this.apply(flow, active, await this.flows.advance(flow, active, turn), out);
        return true;
      }
      if (YES.test(trimmed) || classification.intent === 'affirm') {
        this.apply(flow, active, await this.flows.advance(flow, active, turn, true), out);
        return true;
      }
      if (NO.test(trimmed) || classification.intent === 'deny') {
        this.apply(flow, active, this.flows.declined(flow, active, turn), out);
        return true;
      }
    } else if (active.awaiting && !other) {
      if (this.flows.fillFrom(flow, active, text, this.extraction(turn)).length > 0) {
        this.apply(flow, active, await this.flows.advance(flow, active, turn), out);
        return true;
      }
    }
    // Not an answer. A new task replaces this one; a question is answered, then we come back.
    if (other) {
      if (this.flows.flowFor(other) || this.def.policies.escalation.on_intents.includes(other)) {
        out.state.flow = null;
        return false;
      }
      out.intent = other;
      out.confidence = classification.confidence;
      await this.answer(other, text, out, turn);
      const question = this.flows.question(flow, active, turn);
      const resume = say(DEFAULT_TEXTS.resume, out.language, 'en', { flow: labelOf(flow.name) });
      out.say(resume + question.text, question.quickReplies);
      out.state.flow = active;
      return true;
    }
    if (NO.test(trimmed) && active.awaiting !== 'confirm') {
      this.apply(flow, active, this.flows.declined(flow, active, turn), out);
      return true;
    }
    this.retry(flow, active, out, turn);
    return true;
  }

  /** "No, I meant ORD-20417" after a finished flow: runs it again with the corrected value. */
  async correct(text: string, out: TurnOutput, turn: FlowTurn): Promise<boolean> {
    const last = out.state.lastFlow;
    const flow = last && this.flows.flowByName(last.name);
    if (!last || !flow) return false;
    const active: ActiveFlow = {
      name: flow.name,
      slots: { ...last.slots },
      awaiting: null,
      attempts: 0,
    };
    if (this.flows.fillFrom(flow, active, text, this.extraction(turn)).length === 0) return false;
    out.intent = `flow.${flow.name}.correction`;
    this.apply(flow, active, await this.flows.advance(flow, active, turn), out);
    return true;
  }

  extraction(turn: FlowTurn): Omit<ExtractionContext, 'asked'> {
    return {
      messageId: turn.messageId,
      timeZone: this.def.policies.business_hours.timezone,
      now: turn.now,
    };
  }

  /** Asks the same question again, or hands over after too many failed answers. */
  private retry(flow: Flow, active: ActiveFlow, out: TurnOutput, turn: FlowTurn) {
    active.attempts += 1;
    if (active.attempts >= this.def.policies.escalation.max_failed_attempts) {
      out.state.flow = null;
      out.escalate = `failed attempts: ${flow.name} ${active.awaiting ?? ''}`.trim();
      return;
    }
    const question = this.flows.question(flow, active, turn);
    out.say(question.text, question.quickReplies);
    out.state.flow = active;
  }

  private apply(flow: Flow, active: ActiveFlow, step: FlowStep, out: TurnOutput) {
    const maxAttempts = this.def.policies.escalation.max_failed_attempts;
    if (step.rejected && step.flow && step.flow.attempts >= maxAttempts) {
      out.state.flow = null;
      out.escalate = `failed attempts: ${flow.name} ${step.rejected}`;
      return;
    }
    step.replies.forEach((r) => out.say(r.text, r.quickReplies));
    out.state.flow = step.flow;
    if (step.escalate) out.escalate = step.escalate;
    if (step.completed) {
      out.state.lastFlow =
        step.completed.outcome === 'declined' ? null : { name: flow.name, slots: active.slots };
      out.summaryLine = step.completed.summary;
      out.facts.push({ key: 'past_issue', value: step.completed.summary });
    }
  }

  /** A confident request for something else than the current flow's question. */
  private otherRequest(classification: Classification, flow: Flow): string | null {
    const intent = classification.intent;
    if ([OUT_OF_SCOPE, flow.trigger, 'affirm', 'deny'].includes(intent)) return null;
    return classification.confidence >= DIGRESSION_CONFIDENCE ? intent : null;
  }
}
