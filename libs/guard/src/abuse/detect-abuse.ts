import { findDirectedAbuse } from './insults';
import { findProfanity, spellOut } from './profanity';
import { clauses, fold } from './text';

/** `profanity`: swearing, typically about the product; `abusive`: aimed at the agent. */
export type AbuseLevel = 'none' | 'profanity' | 'abusive';

export interface AbuseResult {
  level: AbuseLevel;
  /** What matched, spelt out ("f***ing" → "fucking", "1d10t" → "idiot"), each once. */
  terms: string[];
}

/**
 * Tells swearing about the product ("this f***ing app") from abuse aimed at the agent ("you are
 * useless, idiot"), through masking, leetspeak and stretched letters. English profanity comes
 * from the obscenity package; insults and the German, French and Spanish words from short lists.
 */
export function detectAbuse(text: string): AbuseResult {
  const folded = fold(text);
  const sentences = clauses(folded).map((words) => words.map(spellOut));
  const spelt = sentences.map((words) => words.join(' ')).join('\n');
  const abuse = findDirectedAbuse(spelt, sentences);
  const profanity = findProfanity(folded, spelt);
  const level: AbuseLevel =
    abuse.length > 0 ? 'abusive' : profanity.length > 0 ? 'profanity' : 'none';
  return { level, terms: [...new Set([...abuse, ...profanity])] };
}
