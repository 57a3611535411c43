import type { AssistantDefinition } from '@parley/assistant';
import { OUT_OF_SCOPE, type Classification } from '@parley/nlu';

import type { TurnInput } from '../engine';
import { isSmallTalk } from '../dialogue/clarify';
import type { FlowConversation } from '../dialogue/flow-conversation';
import type { FlowTurn } from '../dialogue/flow-runner';
import type { KnowledgeAnswers } from '../dialogue/knowledge-answers';
import type { TurnOutput } from '../dialogue/turn-output';
import type { ModelResponder } from './model-responder';

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
    if (
      this.options.route === 'complex' &&
      (passages[0]?.coverage ?? 0) >= this.options.faqCoverage
    )
      return false;

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
    if (!outcome) return false;
    out.engine = `llm:${outcome.usage.provider}`;
    out.usage = {
      tokensIn: outcome.usage.tokensIn,
      tokensOut: outcome.usage.tokensOut,
      costUsd: outcome.usage.costUsd,
    };
    out.state.failures = 0;
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
    out.intent = 'llm.answer';
    out.say(outcome.text);
    return true;
  }
}
