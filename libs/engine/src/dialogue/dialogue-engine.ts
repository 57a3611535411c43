import type { AssistantDefinition, Flow, Intent, Translations } from '@parley/assistant';
import {
  detectAbuse,
  detectAnyLanguage,
  detectInjection,
  detectLanguage,
  frustrationScore,
  placeholdersIn,
  PiiType,
} from '@parley/guard';
import { OUT_OF_SCOPE, type Classification, type IntentClassifier } from '@parley/nlu';
import type { ToolRunner } from '@parley/tools';

import type { Engine, EngineReply, TurnInput } from '../engine';
import type { KnowledgeEngine } from '../knowledge-engine';
import { CORRECTION, DEFAULT_TEXTS, NO, YES } from './defaults';
import { FlowRunner, type FlowStep, type FlowTurn } from './flow-runner';
import { adviceTopic, isOpen, nextOpening } from './policies';
import { joinOptions, say, seedOf } from './say';
import { readState, type ActiveFlow, type DialogueState } from './state';

type Reply = EngineReply['replies'][number];

export interface DialogueEngineOptions {
  definition: AssistantDefinition;
  classifier: IntentClassifier;
  /** Answers knowledge intents and anything out of scope that the knowledge base covers. */
  knowledge: KnowledgeEngine;
  tools: ToolRunner | null;
  now?: () => Date;
  /** From this confidence an intent is acted on without checking the knowledge base first. */
  confidentAt?: number;
  /** Below this confidence a second intent is not worth offering in a "did you mean". */
  clarifyFloor?: number;
  /** A second intent this close to the first (as a share of its probability) gets a "did you mean". */
  clarifyRatio?: number;
  /** Below this confidence nothing is acted on: the message was not understood. */
  actFloor?: number;
}

/** Everything one turn decides, collected as the engine goes. */
class TurnOutput {
  replies: Reply[] = [];
  intent?: string;
  confidence?: number;
  escalate?: string;
  summaryLine?: string;
  facts: { key: string; value: string }[] = [];
  erase = false;
  constructor(
    public state: DialogueState,
    public language: string,
  ) {}
  say(text: string, quickReplies?: string[]) {
    if (text) this.replies.push({ text, ...(quickReplies?.length ? { quickReplies } : {}) });
  }
}

const SLOT_LABEL = (name: string) => name.replace(/_/g, ' ');

/**
 * Parley's built-in engine: the guards' verdicts, intent classification with clarification,
 * flows with slots and confirmation, policies from the assistant's files, the fallback ladder and
 * hand-over, knowledge answers, and what it remembers of the customer. No model, no API key.
 */
export class DialogueEngine implements Engine {
  readonly name = 'builtin';
  private readonly flows: FlowRunner;
  private readonly def: AssistantDefinition;
  private readonly intents: Map<string, Intent>;
  private readonly now: () => Date;
  private readonly confident: number;
  private readonly actFloor: number;
  /** The flows customers ask for most (by example count): offered when lost. */
  private readonly mainTasks: string[];

  constructor(private readonly options: DialogueEngineOptions) {
    this.def = options.definition;
    this.flows = new FlowRunner(options.definition, options.tools);
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
    };

    this.learnFacts(input.text, messageId, out);
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

    // 1. Guards: instructions are data here, and anger is met calmly, never mirrored.
    if (detectInjection(text).detected) {
      out.intent = 'guard.injection';
      out.say(say(DEFAULT_TEXTS.injection, out.language, 'en', {}, turn.seed));
      return;
    }
    state.frustration = [...state.frustration, frustrationScore(text)].slice(-3);
    const abuse = detectAbuse(text);
    const threshold = this.def.policies.escalation.frustration_threshold;
    // Strong frustration over the last two messages, or one message far past the threshold.
    const recent = state.frustration.slice(-2);
    const sustained = recent.length === 2 && Math.min(...recent) >= threshold;
    if (sustained || (recent.at(-1) ?? 0) >= Math.max(threshold, 0.95)) {
      out.intent = 'policy.frustration';
      out.say(say(DEFAULT_TEXTS.abuse, out.language, 'en', {}, turn.seed));
      out.escalate = 'frustration';
      return;
    }
    if (abuse.level === 'abusive')
      out.say(say(DEFAULT_TEXTS.abuse, out.language, 'en', {}, turn.seed));

    if (!languageConfident) {
      const other = detectAnyLanguage(text);
      if (
        other.known &&
        other.confident &&
        !this.def.assistant.languages.includes(other.language)
      ) {
        out.language = this.def.assistant.default_language;
        turn.language = out.language;
        out.say(
          say(DEFAULT_TEXTS.unsupportedLanguage, 'en', 'en', {
            languages: joinOptions(this.def.assistant.languages.map(languageName), 'en'),
          }),
        );
      }
    }

    // 2. Policies that no classification may override.
    const topic = adviceTopic(text, this.def.policies.boundaries.refuse_advice);
    if (topic) {
      out.intent = `policy.refuse_${topic}`;
      out.say(this.system('refuse_advice', out, turn, { topic }));
      return;
    }

    this.recall(input, out);

    // 3. The answer to a question we asked: "did you mean", a slot, a confirmation.
    const classification = this.options.classifier.classify(text);
    if (state.confirmingErasure) {
      state.confirmingErasure = false;
      const trimmed = text.trim();
      if (YES.test(trimmed) || classification.intent === 'affirm') {
        out.intent = 'privacy.erase';
        out.erase = true;
        out.facts = [];
        out.say(say(DEFAULT_TEXTS.erased, out.language, 'en', {}, turn.seed));
        return;
      }
      if (NO.test(trimmed) || classification.intent === 'deny') {
        out.intent = 'privacy.erase_declined';
        out.say(say(DEFAULT_TEXTS.eraseCancelled, out.language, 'en', {}, turn.seed));
        return;
      }
    }
    if (state.clarifying.length > 0) {
      const chosen = this.readClarification(text, classification, state.clarifying);
      state.clarifying = [];
      if (chosen) return this.handleIntent(chosen, 1, text, out, turn);
    }
    if (state.flow) {
      const handled = await this.continueFlow(state.flow, text, classification, out, turn);
      if (handled) return;
    }
    if (
      state.lastFlow &&
      CORRECTION.test(text.trim()) &&
      (await this.correctLastFlow(text, out, turn))
    )
      return;

    // 4. A new request. A confident intent decides; otherwise the knowledge base may know the
    // answer (a topic no intent covers), then a "did you mean", then the fallback ladder.
    if (classification.intent !== OUT_OF_SCOPE && classification.confidence >= this.confident) {
      return this.handleIntent(classification.intent, classification.confidence, text, out, turn);
    }
    const knowledge = await this.options.knowledge.respond(this.knowledgeInput(text, turn));
    if (knowledge.intent === 'knowledge.answer') {
      state.failures = 0;
      out.intent = 'knowledge.answer';
      out.confidence = knowledge.confidence ?? 0;
      knowledge.replies.forEach((r) => out.say(r.text, r.quickReplies));
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
        this.bareValue(text))
    ) {
      state.clarifying = [first.intent, second.intent];
      out.intent = 'clarify';
      out.confidence = first.confidence;
      const labels = state.clarifying.map((i) => this.label(i));
      out.say(
        this.system('clarify', out, turn, { options: joinOptions(labels, out.language) }),
        labels,
      );
      return;
    }
    if (classification.intent !== OUT_OF_SCOPE && classification.confidence >= this.actFloor) {
      return this.handleIntent(classification.intent, classification.confidence, text, out, turn);
    }
    this.fallback(out, turn);
  }

  private async handleIntent(
    intentName: string,
    confidence: number,
    text: string,
    out: TurnOutput,
    turn: FlowTurn,
  ) {
    out.intent = intentName;
    out.confidence = confidence;
    const state = out.state;
    if (this.def.policies.escalation.on_intents.includes(intentName)) {
      out.escalate = 'customer asked for a person';
      return;
    }
    if (this.def.policies.privacy.erase_on_intents.includes(intentName)) {
      // Nothing is deleted on a classifier's say-so: the customer confirms first.
      state.flow = null;
      state.confirmingErasure = true;
      out.say(
        say(DEFAULT_TEXTS.eraseConfirm, out.language, 'en', {}, turn.seed),
        out.language === 'de' ? ['Ja', 'Nein'] : ['Yes', 'No'],
      );
      return;
    }
    const flow = this.flows.flowFor(intentName);
    if (flow) {
      state.failures = 0;
      state.lastFlow = null;
      const active = this.flows.start(flow);
      this.flows.fillFrom(flow, active, text, this.extraction(turn));
      return this.applyStep(flow, active, await this.flows.advance(flow, active, turn), out);
    }
    if (intentName !== OUT_OF_SCOPE) {
      state.failures = 0;
      await this.answer(intentName, text, out, turn);
      return;
    }
    // Out of scope: the knowledge base may still know; otherwise the fallback ladder.
    const knowledge = await this.options.knowledge.respond({ ...this.knowledgeInput(text, turn) });
    if (knowledge.intent === 'knowledge.answer') {
      state.failures = 0;
      out.intent = 'knowledge.answer';
      knowledge.replies.forEach((r) => out.say(r.text, r.quickReplies));
      return;
    }
    this.fallback(out, turn);
  }

  /** Answers an intent that needs no flow: its own responses, or the knowledge base. */
  private async answer(intentName: string, text: string, out: TurnOutput, turn: FlowTurn) {
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
    // The classifier is sure of the topic: a passage covering less of the question will do.
    const knowledge = await this.options.knowledge.answerAt(
      this.knowledgeInput(text, turn),
      (out.confidence ?? 0) >= this.confident ? 0.25 : 0.5,
    );
    // A guess at the topic that the knowledge base cannot confirm is not understanding.
    if (knowledge.intent !== 'knowledge.answer' && (out.confidence ?? 0) < this.confident) {
      this.fallback(out, turn);
      return;
    }
    knowledge.replies.forEach((r) => out.say(r.text, r.quickReplies));
  }

  private async continueFlow(
    active: ActiveFlow,
    text: string,
    classification: Classification,
    out: TurnOutput,
    turn: FlowTurn,
  ): Promise<boolean> {
    const flow = this.flows.flowByName(active.name);
    const state = out.state;
    if (!flow) {
      state.flow = null;
      return false;
    }
    out.intent = `flow.${flow.name}`;
    const trimmed = text.trim();
    if (active.awaiting === 'confirm') {
      const changed = this.flows.fillFrom(flow, active, text, this.extraction(turn));
      if (changed.length > 0) {
        // "No, make it ORD-20417": a correction, so confirm the new values.
        return (
          this.applyStep(flow, active, await this.flows.advance(flow, active, turn), out),
          true
        );
      }
      if (YES.test(trimmed) || classification.intent === 'affirm') {
        return (
          this.applyStep(flow, active, await this.flows.advance(flow, active, turn, true), out),
          true
        );
      }
      if (NO.test(trimmed) || classification.intent === 'deny') {
        return (this.applyStep(flow, active, this.flows.declined(flow, active, turn), out), true);
      }
    } else if (active.awaiting) {
      const slot = flow.slots[active.awaiting];
      const switching = this.otherRequest(classification, flow);
      const filled = switching
        ? []
        : this.flows.fillFrom(flow, active, text, this.extraction(turn));
      if (slot && filled.includes(active.awaiting)) {
        return (
          this.applyStep(flow, active, await this.flows.advance(flow, active, turn), out),
          true
        );
      }
      if (filled.length > 0) {
        return (
          this.applyStep(flow, active, await this.flows.advance(flow, active, turn), out),
          true
        );
      }
    }
    // Not an answer. A new task replaces this one; a question is answered, then we come back.
    const other = this.otherRequest(classification, flow);
    if (other) {
      if (this.flows.flowFor(other) || this.def.policies.escalation.on_intents.includes(other)) {
        state.flow = null;
        return false;
      }
      out.intent = other;
      out.confidence = classification.confidence;
      await this.answer(other, text, out, turn);
      const again = await this.flows.advance(flow, active, turn);
      out.say(
        say(DEFAULT_TEXTS.resume, out.language, 'en', { flow: SLOT_LABEL(flow.name) }) +
          (again.replies[0]?.text ?? ''),
        again.replies[0]?.quickReplies,
      );
      state.flow = again.flow;
      return true;
    }
    if (NO.test(trimmed) && active.awaiting !== 'confirm') {
      return (this.applyStep(flow, active, this.flows.declined(flow, active, turn), out), true);
    }
    return (this.retry(flow, active, out, turn, ''), true);
  }

  /** Asks the same question again, or hands over after too many failed answers. */
  private retry(flow: Flow, active: ActiveFlow, out: TurnOutput, turn: FlowTurn, prefix: string) {
    active.attempts += 1;
    if (active.attempts >= this.def.policies.escalation.max_failed_attempts) {
      out.state.flow = null;
      out.escalate = `failed attempts: ${flow.name} ${active.awaiting ?? ''}`.trim();
      return;
    }
    const slot =
      active.awaiting && active.awaiting !== 'confirm' ? flow.slots[active.awaiting] : undefined;
    const question = slot
      ? say(
          slot.prompt,
          out.language,
          this.def.assistant.default_language,
          this.values(),
          turn.seed,
        )
      : say(
          flow.confirm,
          out.language,
          this.def.assistant.default_language,
          {
            ...this.values(),
            ...Object.fromEntries(Object.entries(active.slots).map(([k, v]) => [k, v.display])),
          },
          turn.seed,
        );
    out.say(
      prefix + question,
      active.awaiting === 'confirm'
        ? out.language === 'de'
          ? ['Ja', 'Nein']
          : ['Yes', 'No']
        : undefined,
    );
    out.state.flow = active;
  }

  private async correctLastFlow(text: string, out: TurnOutput, turn: FlowTurn): Promise<boolean> {
    const last = out.state.lastFlow!;
    const flow = this.flows.flowByName(last.name);
    if (!flow) return false;
    const active: ActiveFlow = {
      name: flow.name,
      slots: { ...last.slots },
      awaiting: null,
      attempts: 0,
    };
    const changed = this.flows.fillFrom(flow, active, text, this.extraction(turn));
    if (changed.length === 0) return false;
    out.intent = `flow.${flow.name}.correction`;
    this.applyStep(flow, active, await this.flows.advance(flow, active, turn), out);
    return true;
  }

  private applyStep(flow: Flow, active: ActiveFlow, step: FlowStep, out: TurnOutput) {
    if (
      step.rejected &&
      step.flow &&
      step.flow.attempts >= this.def.policies.escalation.max_failed_attempts
    ) {
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
    if (
      intent === OUT_OF_SCOPE ||
      intent === flow.trigger ||
      intent === 'affirm' ||
      intent === 'deny'
    )
      return null;
    return classification.confidence >= 0.6 ? intent : null;
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
      return this.flows.fillFrom(flow, probe, text, this.extraction(turn)).length > 0;
    };
    const [a, b] = [has(first.intent), has(second.intent)];
    if (a === b) return null;
    return a ? first.intent : second.intent;
  }

  /** A message that is little more than a value ("ORD-55120"): what it is for is unclear. */
  private bareValue(text: string): boolean {
    const words =
      text.replace(/ORD-?\d+|\[[A-Z]+_\d+\]|[\d$.,:/-]+/gi, ' ').match(/\p{L}+/gu) ?? [];
    return words.length <= 1;
  }

  private readClarification(
    text: string,
    classification: Classification,
    options: string[],
  ): string | null {
    const lower = text.trim().toLowerCase();
    const byLabel = options.find((o) => lower === this.label(o).toLowerCase());
    if (byLabel) return byLabel;
    if (/^(the )?first\b/.test(lower)) return options[0] ?? null;
    if (/^(the )?second\b/.test(lower)) return options[1] ?? null;
    // A digit answers numbered options (channels without buttons show them so).
    const digit = /^(\d)\.?$/.exec(lower);
    if (digit) return options[Number(digit[1]) - 1] ?? null;
    const ranked = classification.ranking.find((r) => options.includes(r.intent));
    return ranked && ranked.confidence >= 0.3 ? ranked.intent : null;
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
    const options = this.mainTasks.map((intent) => this.label(intent));
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

  /** Greets a returning customer with what they last talked about, once. */
  private recall(input: TurnInput, out: TurnOutput) {
    const previous = input.context?.previous;
    if (!previous || out.state.recalled || (input.context?.history.length ?? 0) > 0) return;
    out.state.recalled = true;
    const topic = previous.summary.split('\n').filter(Boolean).at(-1);
    if (topic)
      out.say(
        say(DEFAULT_TEXTS.welcomeBack, out.language, 'en', { topic: topic.replace(/:.*$/, '') }),
      );
  }

  /** Facts worth remembering about the customer, from this message. */
  private learnFacts(text: string, messageId: string, out: TurnOutput) {
    const name =
      /\b(?:[Mm]y name is|[Cc]all me|[Tt]his is|[Mm]ein [Nn]ame ist|[Ii]ch hei(?:ß|ss)e)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)/u.exec(
        text,
      );
    if (name) out.facts.push({ key: 'name', value: name[1]! });
    for (const p of placeholdersIn(text)) {
      if (p.type === PiiType.Email)
        out.facts.push({ key: 'email', value: `vault://${messageId}/${p.placeholder}` });
      if (p.type === PiiType.Phone)
        out.facts.push({ key: 'phone', value: `vault://${messageId}/${p.placeholder}` });
    }
    const company =
      /\b(?:[Ii] work (?:at|for)|[Mm]y company is|[Ii]ch arbeite bei)\s+([A-Z][\p{L}&.'-]+(?:\s+[A-Z][\p{L}&.'-]+)*)/u.exec(
        text,
      );
    if (company) out.facts.push({ key: 'company', value: company[1]! });
    const channel =
      /\b(?:prefer|rather)\b.*\b(email|e-mail|phone|sms|text message|whatsapp|slack)\b/i.exec(text);
    if (channel)
      out.facts.push({
        key: 'preferred_channel',
        value: channel[1]!.toLowerCase().replace('e-mail', 'email'),
      });
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

  private label(intent: string): string {
    return SLOT_LABEL(intent);
  }

  private extraction(turn: FlowTurn) {
    return {
      messageId: turn.messageId,
      timeZone: this.def.policies.business_hours.timezone,
      now: turn.now,
    };
  }

  private knowledgeInput(text: string, turn: FlowTurn): TurnInput {
    return {
      assistantId: turn.assistantId,
      conversationId: turn.conversationId,
      channel: turn.channel,
      capabilities: turn.capabilities,
      text,
    };
  }
}

const PII_PHRASES: Record<string, Record<string, string>> = {
  en: {
    EMAIL: 'the email address you gave',
    PHONE: 'the number you gave',
    IBAN: 'the account you gave',
    IP: 'that address',
    CARD: 'that card number',
    SSN: 'that number',
  },
  de: {
    EMAIL: 'die angegebene E-Mail-Adresse',
    PHONE: 'die angegebene Nummer',
    IBAN: 'das angegebene Konto',
    IP: 'diese Adresse',
    CARD: 'diese Kartennummer',
    SSN: 'diese Nummer',
  },
};

/** `[EMAIL_1]` → "the email address you gave": masked data is referred to, never echoed. */
function namePlaceholders(text: string, language: string): string {
  const phrases = PII_PHRASES[language] ?? PII_PHRASES.en!;
  return text.replace(
    /\[(CARD|SSN|EMAIL|PHONE|IBAN|IP)_\d+\]/g,
    (_, type: string) => phrases[type] ?? 'that',
  );
}

const SMALL_TALK = new Set(['greet', 'thanks', 'goodbye', 'affirm', 'deny']);
const isSmallTalk = (intent: string) => SMALL_TALK.has(intent);

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
};
const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;

/** Keeps the last lines: a rolling summary of what the conversation achieved. */
function appendSummary(previous: string | null, line: string): string {
  return [...(previous ? previous.split('\n') : []), line].slice(-10).join('\n');
}
