import type { AssistantDefinition } from '@parley/assistant';
import { PLACEHOLDER_PATTERN } from '@parley/guard';
import { OUT_OF_SCOPE, type Classification } from '@parley/nlu';

import type { TurnInput } from '../engine';
import { isSmallTalk } from '../dialogue/clarify';
import type { FlowConversation } from '../dialogue/flow-conversation';
import type { FlowTurn } from '../dialogue/flow-runner';
import type { KnowledgeAnswers } from '../dialogue/knowledge-answers';
import type { TurnOutput } from '../dialogue/turn-output';
import {
  cacheKey,
  type BudgetScope,
  type BudgetTurn,
  type ModelBudget,
  type ResponseCache,
} from './model-limits';
import type { ModelResponder } from './model-responder';
import { isImpersonal } from './prompt';

/** A passage covering this share of the question shows the topic is one the business knows. */
const KNOWN_TOPIC_COVERAGE = 0.5;

/**
 * Which new requests the model gets. `complex` (the default): not greetings and thanks, not a
 * confident request for a task with a flow or a canned answer, not a question the knowledge base
 * answers outright; those stay with the built-in engine, fast and free. `all`: every new request.
 */
export type ModelRoute = 'complex' | 'all';

export interface ModelStepOptions {
  route: ModelRoute;
  /** A passage covering this share of the question is an FAQ hit, answered without the model. */
  faqCoverage: number;
  /** From this confidence the classifier's intent counts as understood. */
  confidentAt: number;
  /** Spending limits; none: unlimited. */
  budget?: ModelBudget;
  /** Answers to FAQ-class questions, reused; none: every question goes to the model. */
  cache?: ResponseCache;
  /** Told when a budget sends a turn to the built-in engine (for logs and metrics). */
  onBudgetExceeded?: (scope: BudgetScope, turn: BudgetTurn) => void;
}

/**
 * The model's place in the dialogue: a new request (nothing pending: no flow in progress, no
 * question of ours awaiting an answer, guards and policies passed) that needs more than the
 * built-in engine's rules. A task the model picks is run by its flow; a model that fails leaves
 * the turn to the built-in engine, which answers and says less.
 */
export class ModelStep {
  constructor(
    private readonly model: ModelResponder,
    private readonly def: AssistantDefinition,
    private readonly knowledge: KnowledgeAnswers,
    private readonly conversation: FlowConversation,
    private readonly options: ModelStepOptions,
  ) {}

  /** True when the model handled the turn. */
  async take(
    input: TurnInput,
    classification: Classification,
    out: TurnOutput,
    turn: FlowTurn,
  ): Promise<boolean> {
    const { intent, confidence } = classification;
    const sure = intent !== OUT_OF_SCOPE && confidence >= this.options.confidentAt;
    const { escalation, privacy } = this.def.policies;
    // Hand-over and erasure are policies: never up to a model.
    if (
      sure &&
      (escalation.on_intents.includes(intent) || privacy.erase_on_intents.includes(intent))
    )
      return false;
    const simple =
      sure &&
      (isSmallTalk(intent) ||
        this.def.flows.some((f) => f.trigger === intent) ||
        this.def.intents.some((i) => i.name === intent && i.responses));
    if (simple && this.options.route === 'complex') return false;
    const passages = await this.knowledge.passages(input.text, turn);
    const coverage = passages[0]?.coverage ?? 0;
    if (this.options.route === 'complex' && coverage >= this.options.faqCoverage) return false;
    // Neither the classifier nor the knowledge base knows what this is about. A model may still
    // make sense of it, but its answer counts as a failed attempt like any other "not
    // understood", so the fallback ladder still hands over (the last rung is the rules').
    const understood = sure || coverage >= KNOWN_TOPIC_COVERAGE;
    const failures = out.state.failures + 1;
    if (!understood && failures >= this.def.policies.escalation.max_failed_attempts) return false;

    const faq = await this.faqKey(input, out, turn, passages.length > 0);
    const cached = faq ? await this.options.cache!.get(faq) : null;
    if (cached) {
      // Free and instant: the same question, model and knowledge were answered before.
      out.engine = `llm-cache:${this.model.id}`;
      out.state.failures = understood ? 0 : failures;
      out.intent = 'llm.answer';
      out.say(cached);
      return true;
    }
    const spending: BudgetTurn = {
      assistantId: turn.assistantId,
      customerId: turn.customerId,
      conversationId: turn.conversationId,
      conversationTokens: input.context?.usage?.tokens ?? 0,
    };
    const overrun = (await this.options.budget?.exceeded(spending)) ?? null;
    if (overrun) {
      this.options.onBudgetExceeded?.(overrun, spending);
      return false;
    }

    const outcome = await this.model.respond({
      text: input.text,
      language: out.language,
      ...(input.context ? { context: input.context } : {}),
      verified: turn.verified,
      passages,
      ...(input.stream ? { stream: input.stream } : {}),
      call: {
        assistantId: turn.assistantId,
        conversationId: turn.conversationId,
        customerId: turn.customerId,
        messageId: turn.messageId,
      },
    });
    const { usage } = outcome;
    if (usage.tokensIn + usage.tokensOut > 0) {
      // Paid for whether or not the answer is used: counted on the turn and against budgets.
      await this.options.budget?.charge(spending, {
        tokens: usage.tokensIn + usage.tokensOut,
        costUsd: usage.costUsd,
      });
      out.usage = { tokensIn: usage.tokensIn, tokensOut: usage.tokensOut, costUsd: usage.costUsd };
    }
    if (outcome.kind === 'none') return false;
    out.engine = `llm:${usage.provider}`;
    // A tool the model called, or the task it picked, shows it understood.
    out.state.failures =
      understood || outcome.kind === 'task' || outcome.toolsUsed.length > 0 ? 0 : failures;
    if (outcome.kind === 'task') {
      out.intent = outcome.flow.trigger;
      await this.conversation.start(
        outcome.flow,
        [input.text, ...outcome.hints].join('\n'),
        out,
        turn,
      );
      return true;
    }
    if (faq && outcome.toolsUsed.length === 0) await this.options.cache!.set(faq, outcome.text);
    out.intent = 'llm.answer';
    out.say(outcome.text);
    return true;
  }

  /**
   * The cache key of an FAQ-class turn, null for any other: a question the knowledge base has
   * passages for, without personal data, asked where the prompt holds nothing about the customer
   * or the conversation (so the answer fits anyone asking it).
   */
  private async faqKey(
    input: TurnInput,
    out: TurnOutput,
    turn: FlowTurn,
    knowledgeFound: boolean,
  ): Promise<string | null> {
    if (!this.options.cache || !knowledgeFound || !isImpersonal(input.context)) return null;
    if (input.text.search(PLACEHOLDER_PATTERN) !== -1) return null;
    return cacheKey({
      assistantId: turn.assistantId,
      knowledgeVersion: await this.knowledge.version(turn),
      model: this.model.id,
      language: out.language,
      verified: turn.verified,
      question: input.text,
    });
  }
}
