import { foldAccents, LEET } from '../text/fold';

/** Lower case, umlauts spelt out, other accents dropped: the form the word lists are written in. */
export function fold(text: string): string {
  return foldAccents(text.normalize('NFKC').toLowerCase()).replace(/[‘’]/gu, "'");
}

/** Clauses (split at sentence punctuation and commas) as lists of words. */
export function clauses(folded: string): string[][] {
  return folded
    .split(/[.!?;,:\n]+(?=\s|$)|\n/u)
    .map((clause) => [...clause.matchAll(/[\p{L}\p{N}*#%@$!']+/gu)].map(([w]) => unmask(w)))
    .map((words) => words.filter((w) => w.length > 0))
    .filter((words) => words.length > 0);
}

/** Trailing "!!!" is punctuation, "sh!t" is a letter; "1d10t" reads "idiot". */
function unmask(word: string): string {
  const trimmed = word.replace(/^[!']+|[!']+$/gu, '');
  return /\p{L}/u.test(trimmed) ? trimmed.replace(/[013457@$!]/gu, (c) => LEET[c] ?? c) : trimmed;
}

/** "stuuupid" → "stupid": runs of three or more of a letter are stretching, not spelling. */
export function unstretch(word: string): string {
  return word.replace(/(\p{L})\1{2,}/gu, '$1');
}

/** "f***" matches "fuck": masked letters (`*`, `#`, `%`) stand for any one letter. */
export function maskedMatch(word: string, candidates: readonly string[]): string | undefined {
  if (!/[*#%]/u.test(word) || !/\p{L}/u.test(word)) return undefined;
  const pattern = new RegExp(`^${word.replace(/[*#%]/gu, '[a-z]')}$`, 'u');
  return candidates.find((candidate) => pattern.test(candidate));
}
