import type { KnowledgeHit, KnowledgeRepository } from '@parley/db';
import { textSearchConfigFor } from '@parley/knowledge';

import type { Engine, EngineReply, TurnInput } from './engine';

export interface KnowledgeEngineOptions {
  /** Postgres text search configuration preferred when the customer's language is unknown. */
  language: string;
  /** Least share of the question's terms a chunk must contain to be used as an answer. */
  minCoverage: number;
  /** Longest answer excerpt, before the source line. */
  maxAnswerChars: number;
}

/** Where the rest of an answer given in part is: the chunk, and how much of it was shown. */
export interface MoreDetail {
  chunkId: string;
  from: number;
}

export interface KnowledgeReply extends EngineReply {
  /** Set when only the essential part was given and the detail was offered. */
  more?: MoreDetail;
}

const MAX_SUGGESTIONS = 4;
/** Topic titles change only on ingest; a short cache spares a query on every unanswered turn. */
const TITLES_TTL_MS = 30_000;
/** Passages up to this long are answered whole; longer ones give the essentials first. */
const WHOLE_ANSWER_CHARS = 320;
/** About how much of a long passage the essential answer shows. */
const ESSENTIAL_CHARS = 240;

const TEXTS: Record<
  string,
  Record<'source' | 'more' | 'moreButton' | 'dontKnow' | 'canHelp', string>
> = {
  en: {
    source: 'Source',
    more: 'Would you like more detail?',
    moreButton: 'More detail',
    dontKnow: "I'm sorry, I don't know the answer to that, and I'd rather not guess.",
    canHelp: 'I can help with: {topics}.',
  },
  de: {
    source: 'Quelle',
    more: 'Möchten Sie mehr Details?',
    moreButton: 'Mehr Details',
    dontKnow: 'Das weiß ich leider nicht, und raten möchte ich nicht.',
    canHelp: 'Ich kann helfen bei: {topics}.',
  },
};

const textsFor = (language: string | undefined) => TEXTS[language ?? 'en'] ?? TEXTS.en!;

/**
 * Answers from the knowledge base with Postgres full-text search and names the source; when
 * nothing matches well it says so and offers the topics it can help with. It never guesses.
 */
export class KnowledgeEngine implements Engine {
  readonly name = 'knowledge';
  private readonly titles = new Map<string, { titles: string[]; expires: number }>();

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly options: KnowledgeEngineOptions,
  ) {}

  async respond(input: TurnInput): Promise<EngineReply> {
    return this.answerAt(input);
  }

  /**
   * Answers with a given bar for how much of the question a passage must cover (lower for
   * questions known to be about a topic the knowledge base covers). With `disclose`, a long
   * passage is answered with its essentials and the detail is offered: for callers that keep
   * `more` and call `detail` when the customer wants it.
   */
  async answerAt(
    input: TurnInput,
    minCoverage: number = this.options.minCoverage,
    options: { disclose?: boolean } = {},
  ): Promise<KnowledgeReply> {
    const preferred = input.language ? textSearchConfigFor(input.language) : this.options.language;
    const [best] = await this.knowledge.search(input.assistantId, input.text, preferred, 1);
    if (best && best.coverage >= minCoverage) {
      return this.answer(best, input, options.disclose ?? false);
    }
    return this.dontKnow(input);
  }

  /** The passages most relevant to the question, best first: what a model is given to quote. */
  async passages(input: TurnInput, limit: number): Promise<KnowledgeHit[]> {
    const preferred = input.language ? textSearchConfigFor(input.language) : this.options.language;
    return this.knowledge.search(input.assistantId, input.text, preferred, limit);
  }

  /** Changes whenever the assistant's documents change (cached answers are keyed on it). */
  version(assistantId: string): Promise<number> {
    return this.knowledge.version(assistantId);
  }

  /** The rest of an answer given in part; null when the passage is gone (re-ingested). */
  async detail(input: TurnInput, more: MoreDetail): Promise<EngineReply | null> {
    const chunk = await this.knowledge.chunk(input.assistantId, more.chunkId);
    if (!chunk || more.from >= chunk.content.length) return null;
    const sourceLine = `\n\n${textsFor(input.language).source}: ${chunk.title}`;
    return {
      replies: [
        {
          text: `${excerpt(chunk.content.slice(more.from), this.budget(input, sourceLine))}${sourceLine}`,
        },
      ],
      intent: 'knowledge.detail',
      sources: [chunk.title],
    };
  }

  private answer(hit: KnowledgeHit, input: TurnInput, disclose: boolean): KnowledgeReply {
    const texts = textsFor(input.language);
    const sourceLine = `\n\n${texts.source}: ${hit.title}`;
    const content = hit.content.trim();
    const essential = disclose && content.length > WHOLE_ANSWER_CHARS ? essentials(content) : null;
    const reply: KnowledgeReply = essential
      ? {
          replies: [
            {
              text: `${essential.text}${sourceLine}\n\n${texts.more}`,
              quickReplies: [texts.moreButton],
            },
          ],
          more: { chunkId: hit.chunkId, from: hit.content.indexOf(content) + essential.end },
        }
      : { replies: [{ text: `${excerpt(content, this.budget(input, sourceLine))}${sourceLine}` }] };
    return { ...reply, intent: 'knowledge.answer', confidence: hit.coverage, sources: [hit.title] };
  }

  private budget(input: TurnInput, sourceLine: string): number {
    return Math.min(
      this.options.maxAnswerChars,
      input.capabilities.maxTextLength - sourceLine.length,
    );
  }

  private async dontKnow(input: TurnInput): Promise<KnowledgeReply> {
    const texts = textsFor(input.language);
    const preferred = input.language ? textSearchConfigFor(input.language) : undefined;
    const topics = (await this.documentTitles(input.assistantId, preferred)).slice(
      0,
      MAX_SUGGESTIONS,
    );
    const text = topics.length
      ? `${texts.dontKnow} ${texts.canHelp.replace('{topics}', topics.join(', '))}`
      : texts.dontKnow;
    const quickReplies = input.capabilities.buttons
      ? topics.slice(0, input.capabilities.maxButtons).map((t) => t.slice(0, 80))
      : [];
    return {
      replies: [{ text, ...(quickReplies.length ? { quickReplies } : {}) }],
      intent: 'knowledge.none',
      confidence: 0,
    };
  }

  /** Titles in the customer's language, or all of them when none are in it. */
  private async documentTitles(assistantId: string, language?: string): Promise<string[]> {
    const key = `${assistantId}\u0000${language ?? ''}`;
    const cached = this.titles.get(key);
    if (cached && cached.expires > Date.now()) return cached.titles;
    let titles = language ? await this.knowledge.documentTitles(assistantId, language) : [];
    if (titles.length === 0) titles = await this.knowledge.documentTitles(assistantId);
    this.titles.set(key, { titles, expires: Date.now() + TITLES_TTL_MS });
    return titles;
  }
}

/** The chunk's opening, cut at a paragraph or sentence end within the budget. */
export function excerpt(content: string, budget: number): string {
  const text = content.trim();
  if (text.length <= budget) return text;
  const window = text.slice(0, budget);
  const cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('. ') + 1);
  return `${(cut > budget / 3 ? window.slice(0, cut) : window).trimEnd()}…`;
}

/**
 * The essential answer of a long passage: its first paragraph when that is short, otherwise its
 * first sentences up to about ESSENTIAL_CHARS (always at least one). `end` is where the rest
 * begins.
 */
export function essentials(content: string): { text: string; end: number } {
  const paragraph = content.indexOf('\n\n');
  if (paragraph > 0 && paragraph <= ESSENTIAL_CHARS) {
    return { text: content.slice(0, paragraph).trim(), end: paragraph };
  }
  const sentenceEnd = /[.!?](?=\s|$)/g;
  let end = 0;
  for (let m = sentenceEnd.exec(content); m; m = sentenceEnd.exec(content)) {
    const at = m.index + 1;
    if (end > 0 && at > ESSENTIAL_CHARS) break;
    end = at;
  }
  if (end === 0 || end >= content.length) end = Math.min(content.length, ESSENTIAL_CHARS);
  return { text: content.slice(0, end).trim(), end };
}
