import { createHash } from 'node:crypto';

/** Whose budget a turn would overrun. */
export type BudgetScope = 'conversation' | 'customer' | 'assistant';

export interface BudgetTurn {
  assistantId: string;
  customerId: string;
  conversationId: string;
  /** Tokens the conversation has used before this turn. */
  conversationTokens: number;
}

/**
 * Spending limits on the model. Checked before a model call, charged after it: a turn may end a
 * little over a budget, never start over one. An exhausted budget is not an error: the built-in
 * engine answers instead, for free.
 */
export interface ModelBudget {
  /** The first budget this turn would overrun, or null when the model may answer. */
  exceeded(turn: BudgetTurn): Promise<BudgetScope | null>;
  charge(turn: BudgetTurn, usage: { tokens: number; costUsd: number | null }): Promise<void>;
}

/** What a cached answer is valid for: change any part and it no longer applies. */
export interface CacheKeyParts {
  assistantId: string;
  /** Bumped by every change to the assistant's knowledge documents. */
  knowledgeVersion: number;
  /** The configured model or chain (`openai:gpt-4o -> builtin`). */
  model: string;
  language: string;
  /** Signed-in customers are offered other tools, so they may get another answer. */
  verified: boolean;
  /** The customer's masked text. */
  question: string;
}

/** Model answers to FAQ-class questions, so the same question is answered once per model and knowledge. */
export interface ResponseCache {
  get(key: string): Promise<string | null>;
  set(key: string, text: string): Promise<void>;
}

/** Case, punctuation and spacing do not make another question. */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        parts.assistantId,
        parts.knowledgeVersion,
        parts.model,
        parts.language,
        parts.verified,
        normaliseQuestion(parts.question),
      ]),
    )
    .digest('base64url');
}
