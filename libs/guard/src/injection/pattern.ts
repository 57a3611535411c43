/**
 * Compiles a rule written against normalised text (see normaliseForMatching: lower case, accents
 * and umlauts folded to ASCII, so JavaScript's `\b` is a real word boundary). Each space matches
 * any run of whitespace, so rules stay readable; keep spaces out of character classes.
 */
export function rule(source: string): RegExp {
  return new RegExp(source.replaceAll(' ', String.raw`\s+`), 'u');
}

/** `(?:a|b|c)` from a list of alternatives, so word lists can be shared between rules. */
export function anyOf(words: readonly string[]): string {
  return `(?:${words.join('|')})`;
}

/** Up to `n` arbitrary words (lazy), for the filler in "ignore all of the previous instructions". */
export function gap(n: number): string {
  return String.raw`(?:\S+\s+){0,${n}}?`;
}
