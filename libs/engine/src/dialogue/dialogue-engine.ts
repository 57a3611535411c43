import type { AssistantDefinition, Intent, Translations } from '@parley/assistant';
import { detectLanguage } from '@parley/guard';
import { OUT_OF_SCOPE, type Classification, type IntentClassifier } from '@parley/nlu';
import type { ToolExecutor } from '@parley/tools';

import type { Engine, EngineReply, TurnInput } from '../engine';
import type { KnowledgeEngine } from '../knowledge-engine';
import type { ModelResponder } from '../llm/model-responder';
import { ModelStep, type ModelStepOptions } from '../llm/model-step';
import { namePlaceholders } from '../output-guard';
import { ratingIn } from './rating';
import { bareValue, isSmallTalk, readClarification } from './clarify';
import { CORRECTION, DEFAULT_TEXTS } from './defaults';
import { askToErase, readErasureAnswer } from './erasure';
import { FlowConversation } from './flow-conversation';
import { KnowledgeAnswers } from './knowledge-answers';
import { screen } from './screen';
import { FlowRunner, type FlowTurn } from './flow-runner';
import { appendSummary, factsIn, previousTopic } from './memory';
import { adviceTopic, isOpen, nextOpening } from './policies';
import { joinOptions, say, seedOf } from './say';
import { readState } from './state';
import { labelOf, TurnOutput } from './turn-output';

export interface DialogueEngineOptions {
  definition: AssistantDefinition;
  classifier: Pick<IntentClassifier, 'classify'>;
  /** Answers knowledge intents and anything out of scope that the knowledge base covers. */
  knowledge: KnowledgeEngine;
  tools: ToolExecutor | null;
  now?: () => Date;
  /** From this confidence an intent is acted on without checking the knowledge base first. */
  confidentAt?: number;
  /** Below this confidence a second intent is not worth offering in a "did you mean". */
  clarifyFloor?: number;
  /** A second intent this close to the first (as a share of its probability) gets a "did you mean". */
  clarifyRatio?: number;
  /** Below this confidence nothing is acted on: the message was not understood. */
  actFloor?: number;
  /** A language model for the requests the rules cannot answer well; none: rules alone. */
  model?: { responder: ModelResponder } & Partial<ModelStepOptions>;
}

/** Share of the question a passage must cover when the classifier is sure of its topic. */
const RELAXED_COVERAGE = 0.25;

/**
 * Parley's built-in engine: the guards' verdicts, intent classification with clarification,
 * flows with slots and confirmation, policies from the assistant's files, the fallback ladder and
 * hand-over, knowledge answers, and what it remembers of the customer. No model, no API key.
 */
export class DialogueEngine implements Engine {
  readonly name = 'builtin';
  private readonly flows: FlowRunner;
  private readonly knowledge: KnowledgeAnswers;
  private readonly conversation: FlowConversation;
  private readonly def: AssistantDefinition;
  private readonly intents: Map<string, Intent>;
  private readonly now: () => Date;
  private readonly confident: number;
  private readonly actFloor: number;
  /** The flows customers ask for most (by example count): offered when lost. */
  private readonly mainTasks: string[];
  private readonly model: ModelStep | null;

  constructor(private readonly options: DialogueEngineOptions) {
    this.def = options.definition;
    this.flows = new FlowRunner(options.definition, options.tools);
    this.knowledge = new KnowledgeAnswers(options.knowledge);
    this.conversation = new FlowConversation(
      options.definition,
      this.flows,
      (intent, text, out, turn) => this.answer(intent, text, out, turn),
    );
    this.intents = new Map(options.definition.intents.map((i) => [i.name, i]));
    this.now = options.now ?? (() => new Date());
    this.confident = options.confidentAt ?? 0.5;
    this.actFloor = options.actFloor ?? 0.3;
    this.mainTasks = options.definition.flows
      .map((f) => f.trigger)
      .sort(
        (a, b) =>
          (this.intents.get(b)?.examples.length ?? 0) - (this.intents.get(a)?.examples.length ?? 0),
      )
      .slice(0, 4);
    if (options.model) {
      const { responder, ...settings } = options.model;
      this.model = new ModelStep(responder, this.def, this.knowledge, this.conversation, {
        ...settings,
        route: settings.route ?? 'complex',
        faqCoverage: settings.faqCoverage ?? 0.8,
        confidentAt: this.confident,
      });
    } else {
      this.model = null;
    }
  }

  async respond(input: TurnInput): Promise<EngineReply> {
    const context = input.context;
    const state = readState(context?.state);
    const defaultLanguage = this.def.assistant.default_language;
    const detected = detectLanguage(
      input.text,
      this.def.assistant.languages,
      context?.language ?? defaultLanguage,
    );
    const out = new TurnOutput(state, detected.language);
    const messageId = input.messageId ?? input.conversationId;
    const turn: FlowTurn = {
      language: out.language,
      channel: input.channel,
      capabilities: input.capabilities,
      seed: seedOf(messageId),
      now: this.now(),
      messageId,
      assistantId: input.assistantId,
      conversationId: input.conversationId,
      customerId: context?.customerId ?? input.conversationId,
      verified: context?.verified ?? false,
    };

    out.facts.push(...factsIn(input.text, messageId));
    await this.turn(input, out, turn, detected.confident);

    if (out.escalate) this.handOver(out, turn);
    if (out.replies.length === 0) out.say(this.system('fallback', out, turn));
    // Output guard: a placeholder never reaches the customer; it is named, not shown.
    for (const reply of out.replies) reply.text = namePlaceholders(reply.text, out.language);
    const summary = out.summaryLine
      ? appendSummary(context?.summary ?? null, out.summaryLine)
      : undefined;
    return {
      replies: out.replies,
      ...(out.intent ? { intent: out.intent } : {}),
      ...(out.confidence !== undefined ? { confidence: out.confidence } : {}),
      state: out.state,
      language: out.language,
      ...(out.escalate ? { status: 'handoff' as const, escalationReason: out.escalate } : {}),
      ...(summary ? { summary } : {}),
      ...(out.facts.length ? { facts: out.facts } : {}),
      ...(out.erase ? { erase: true } : {}),
      ...(out.rating ? { rating: out.rating } : {}),
      ...(out.engine ? { engine: out.engine } : {}),
      ...(out.usage ? { usage: out.usage } : {}),
      ...(out.guards.length ? { guards: out.guards } : {}),
    };
  }

  private async turn(
    input: TurnInput,
    out: TurnOutput,
    turn: FlowTurn,
    languageConfident: boolean,
  ) {
    const text = input.text;
    const state = out.state;

    // 0. The answer to the rating question a person's hand-back asked, if this is one; asked once.
    if (state.awaitingRating) {
      state.awaitingRating = false;
      const rating = ratingIn(text);
      if (rating) {
        out.rating = rating;
        out.intent = 'csat';
        out.say(this.system('rating_thanks', out, turn, { rating }));
        return;
      }
    }

    // 1. Guards: instructions are data here, and anger is met calmly, never mirrored.
    if (screen(text, out, turn, this.def, languageConfident)) return;

    // 2. Policies that no classification may override.
    const advice = adviceTopic(text, this.def.policies.boundaries.refuse_advice);
    if (advice) {
      out.intent = `policy.refuse_${advice}`;
      out.say(this.system('refuse_advice', out, turn, { topic: advice }));
      return;
    }

    // A returning customer hears what they last talked about, once.
    const topic = out.state.recalled ? null : previousTopic(input.context);
    if (topic) {
      out.state.recalled = true;
      out.say(say(DEFAULT_TEXTS.welcomeBack, out.language, 'en', { topic }));
    }

    // 3. The answer to a question we asked: more detail, "did you mean", a slot, a confirmation.
    if (await this.knowledge.giveDetail(text, out, turn)) return;
    const classification = this.options.classifier.classify(text);
    if (state.confirmingErasure && readErasureAnswer(text, classification, out, turn)) return;
    if (state.clarifying.length > 0) {
      const chosen = readClarification(text, classification, state.clarifying);
      state.clarifying = [];
      if (chosen) return this.handleIntent(chosen, 1, text, out, turn);
    }
    if (state.flow) {
      const handled = await this.conversation.continue(state.flow, text, classification, out, turn);
      if (handled) return;
    }
    if (
      state.lastFlow &&
      CORRECTION.test(text.trim()) &&
      (await this.conversation.correct(text, out, turn))
    )
      return;

    // 4. A new request. The model takes what the rules cannot answer well, when there is one.
    if (this.model && (await this.model.take(input, classification, out, turn))) return;
    // Otherwise a confident intent decides; otherwise the knowledge base may know the
    // answer (a topic no intent covers), then a "did you mean", then the fallback ladder.
    if (classification.intent !== OUT_OF_SCOPE && classification.confidence >= this.confident) {
      return this.handleIntent(classification.intent, classification.confidence, text, out, turn);
    }
    const knowledge = await this.knowledge.search(text, turn);
    if (knowledge.intent === 'knowledge.answer') {
      state.failures = 0;
      out.intent = 'knowledge.answer';
      out.confidence = knowledge.confidence ?? 0;
      this.knowledge.say(knowledge, out);
      return;
    }
    const [first, second] = classification.ranking;
    const evident = this.withEvidence(text, classification, turn);
    if (evident) return this.handleIntent(evident, classification.confidence, text, out, turn);
    if (
      first &&
      second &&
      !isSmallTalk(first.intent) &&
      !isSmallTalk(second.intent) &&
      first.confidence >= this.actFloor &&
      second.confidence >= (this.options.clarifyFloor ?? 0.15) &&
      (second.confidence / first.confidence >= (this.options.clarifyRatio ?? 0.75) ||
        bareValue(text))
    ) {
      state.clarifying = [first.intent, second.intent];
      out.intent = 'clarify';
      out.confidence = first.confidence;
      const labels = state.clarifying.map(labelOf);
      out.say(
        this.system('clarify', out, turn, { options: joinOptions(labels, out.language) }),
        labels,
      );
      return;
    }
    if (classification.intent !== OUT_OF_SCOPE && classification.confidence >= this.actFloor) {
      return this.handleIntent(classification.intent, classification.confidence, text, out, turn, {
        knowledgeMissed: true,
      });
    }
    this.fallback(out, turn);
  }

  private async handleIntent(
    intentName: string,
    confidence: number,
    text: string,
    out: TurnOutput,
    turn: FlowTurn,
    options: { knowledgeMissed?: boolean } = {},
  ) {
    out.intent = intentName;
    out.confidence = confidence;
    const state = out.state;
    if (this.def.policies.escalation.on_intents.includes(intentName)) {
      out.escalate = 'customer asked for a person';
      return;
    }
    if (this.def.policies.privacy.erase_on_intents.includes(intentName)) {
      askToErase(out, turn);
      return;
    }
    const flow = this.flows.flowFor(intentName);
    if (flow) return this.conversation.start(flow, text, out, turn);
    state.failures = 0;
    await this.answer(intentName, text, out, turn, options);
  }

  /** Answers an intent that needs no flow: its own responses, or the knowledge base. */
  private async answer(
    intentName: string,
    text: string,
    out: TurnOutput,
    turn: FlowTurn,
    options: { knowledgeMissed?: boolean } = {},
  ) {
    const intent = this.intents.get(intentName);
    if (intent?.responses) {
      out.say(
        say(
          intent.responses,
          out.language,
          this.def.assistant.default_language,
          this.values(),
          turn.seed,
        ),
      );
      return;
    }
    const sure = (out.confidence ?? 0) >= this.confident;
    // A guess at the topic that the knowledge base cannot confirm is not understanding; the same
    // search at the same bar already failed this turn, so it is not run twice.
    if (options.knowledgeMissed && !sure) {
      this.fallback(out, turn);
      return;
    }
    // The classifier is sure of the topic: a passage covering less of the question will do.
    const knowledge = await this.knowledge.search(text, turn, sure ? RELAXED_COVERAGE : undefined);
    if (knowledge.intent !== 'knowledge.answer' && !sure) {
      this.fallback(out, turn);
      return;
    }
    this.knowledge.say(knowledge, out);
  }

  /**
   * Of the two likeliest intents, the one whose flow has a slot for a value in the message
   * ("where is ORD-55120": order status, not refund info), when only one of them does.
   */
  private withEvidence(
    text: string,
    classification: Classification,
    turn: FlowTurn,
  ): string | null {
    const [first, second] = classification.ranking;
    if (!first || !second || first.confidence < this.actFloor / 2) return null;
    const has = (intent: string) => {
      const flow = this.flows.flowFor(intent);
      if (!flow) return false;
      const probe = this.flows.start(flow);
      return this.flows.fillFrom(flow, probe, text, this.conversation.extraction(turn)).length > 0;
    };
    const [a, b] = [has(first.intent), has(second.intent)];
    if (a === b) return null;
    return a ? first.intent : second.intent;
  }

  private fallback(out: TurnOutput, turn: FlowTurn) {
    const state = out.state;
    state.failures += 1;
    out.intent = OUT_OF_SCOPE;
    if (state.failures >= this.def.policies.escalation.max_failed_attempts) {
      state.failures = 0;
      out.escalate = 'failed attempts: not understood';
      return;
    }
    if (state.failures === 1 && this.def.policies.boundaries.off_topic === 'redirect') {
      out.say(this.system('off_topic', out, turn));
      return;
    }
    // Second miss: offer the main tasks as buttons.
    const options = this.mainTasks.map(labelOf);
    // Picking one (by label, or by digit where buttons are numbered) starts that task.
    state.clarifying = [...this.mainTasks];
    out.say(this.system('fallback', out, turn), options);
  }

  private handOver(out: TurnOutput, turn: FlowTurn) {
    out.state.flow = null;
    const hours = this.def.policies.business_hours;
    const open = isOpen(hours, turn.now);
    const next = open ? null : nextOpening(hours, turn.now);
    out.say(
      next
        ? this.system('escalate_closed', out, turn, { next_open: next })
        : this.system('escalate', out, turn),
    );
    out.summaryLine ??= `handed to a person (${out.escalate})`;
  }

  private system(
    key: keyof AssistantDefinition['responses'],
    out: TurnOutput,
    turn: FlowTurn,
    extra: Record<string, unknown> = {},
  ): string {
    const texts = this.def.responses[key] as Translations | undefined;
    return say(
      texts,
      out.language,
      this.def.assistant.default_language,
      { ...this.values(), ...extra },
      turn.seed,
    );
  }

  private values() {
    return {
      persona: this.def.assistant.persona,
      assistant: { name: this.def.assistant.name },
      policy: this.def.policies,
    };
  }
}
