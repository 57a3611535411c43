import type { KnowledgeHit, KnowledgeRepository } from '@parley/db';

import type { Engine, EngineReply, TurnInput } from './engine';

export interface KnowledgeEngineOptions {
  /** Postgres text search configuration used for questions. */
  language: string;
  /** Least share of the question's terms a chunk must contain to be used as an answer. */
  minCoverage: number;
  /** Longest answer excerpt, before the source line. */
  maxAnswerChars: number;
}

const MAX_SUGGESTIONS = 4;
/** Topic titles change only on ingest; a short cache spares a query on every unanswered turn. */
const TITLES_TTL_MS = 30_000;

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
    return this.answerAt(input, this.options.minCoverage);
  }

  /**
   * Answers with a lower bar for how much of the question a passage must cover: for questions
   * already known to be about a topic the knowledge base covers (a confident knowledge intent).
   */
  async answerAt(input: TurnInput, minCoverage: number): Promise<EngineReply> {
    const [best] = await this.knowledge.search(
      input.assistantId,
      input.text,
      this.options.language,
      1,
    );
    if (best && best.coverage >= minCoverage) {
      return this.answer(best, input);
    }
    return this.dontKnow(input);
  }

  private answer(hit: KnowledgeHit, input: TurnInput): EngineReply {
    const sourceLine = `\n\nSource: ${hit.title}`;
    const budget = Math.min(
      this.options.maxAnswerChars,
      input.capabilities.maxTextLength - sourceLine.length,
    );
    return {
      replies: [{ text: `${excerpt(hit.content, budget)}${sourceLine}` }],
      intent: 'knowledge.answer',
      confidence: hit.coverage,
      sources: [hit.title],
    };
  }

  private async dontKnow(input: TurnInput): Promise<EngineReply> {
    const topics = (await this.documentTitles(input.assistantId)).slice(0, MAX_SUGGESTIONS);
    const text = topics.length
      ? `I'm sorry, I don't know the answer to that, and I'd rather not guess. ` +
        `I can help with: ${topics.join(', ')}.`
      : `I'm sorry, I don't know the answer to that, and I'd rather not guess.`;
    const quickReplies = input.capabilities.buttons
      ? topics.slice(0, input.capabilities.maxButtons).map((t) => t.slice(0, 80))
      : [];
    return {
      replies: [{ text, ...(quickReplies.length ? { quickReplies } : {}) }],
      intent: 'knowledge.none',
      confidence: 0,
    };
  }

  private async documentTitles(assistantId: string): Promise<string[]> {
    const cached = this.titles.get(assistantId);
    if (cached && cached.expires > Date.now()) return cached.titles;
    const titles = await this.knowledge.documentTitles(assistantId);
    this.titles.set(assistantId, { titles, expires: Date.now() + TITLES_TTL_MS });
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
