import { DataSet, englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';

import { maskedMatch, unstretch } from './text';

/**
 * Words of obscenity's English list that name things rather than swear ("sex" on a form, Spanish
 * "negro" = black, "scat" singing, reporting an assault): not profanity in a support chat.
 */
const DESCRIPTIVE = new Set([
  'anal',
  'anus',
  'bestiality',
  'ejaculate',
  'incest',
  'masturbate',
  'negro',
  'orgasm',
  'penis',
  'porn',
  'rape',
  'scat',
  'semen',
  'sex',
  'vagina',
]);

const dataset = new DataSet<{ originalWord: string }>()
  .addAll(englishDataset)
  .removePhrasesIf((phrase) => DESCRIPTIVE.has(phrase.metadata?.originalWord ?? ''));

/** obscenity: English swear words through leetspeak, look-alikes and stretching ("fuuuck"). */
const matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });

/** What obscenity does not cover: abbreviations, mild English swearing, de/fr/es swear words. */
const EXTRA: readonly (readonly [term: string, pattern: RegExp])[] = [
  ['wtf', /\bwtf\b/u],
  ['ffs', /\bffs\b/u],
  ['stfu', /\bstfu\b/u],
  ['damn', /\b(?:god)?damn(?:ed|it)?\b/u],
  ['crap', /\bcrap(?:py)?\b/u],
  ['hell', /\b(?:the|to) hell\b|\bhell no\b/u],
  ['bloody', /\bbloody\b/u],
  ['scheisse', /\bscheiss?e?\b|\bscheiss\w+/u],
  ['verdammt', /\bverdammt\w*/u],
  ['fick', /\b(?:ver)?fick(?:en|t|te|e|dich)?\b/u],
  ['kacke', /\bkacke\b/u],
  ['arschloch', /\barsch(?:loch|loecher)?\b/u],
  ['merde', /\bmerde\b/u],
  ['putain', /\bputain\b/u],
  ['connard', /\bconnard\w*/u],
  ['mierda', /\bmierda\b/u],
  ['joder', /\bjoder\b/u],
  ['puta', /\bputa\b/u],
  ['gilipollas', /\bgilipollas\b/u],
];

/** Spelt-out forms a masked word ("f***ing", "sh*t", "a**hole") is compared against. */
const MASKABLE = [
  'fuck',
  'fucking',
  'fucked',
  'fucker',
  'fuckin',
  'shit',
  'shitty',
  'bullshit',
  'bitch',
  'ass',
  'asshole',
  'bastard',
  'cunt',
  'dick',
  'dickhead',
  'damn',
  'crap',
  'motherfucker',
  'piss',
  'pissed',
  'prick',
  'twat',
  'wanker',
];

/** A word as it was meant: masked letters filled in ("f***" → "fuck"), stretching undone. */
export function spellOut(word: string): string {
  return maskedMatch(word, MASKABLE) ?? unstretch(word);
}

/**
 * Profane words, in order and each once, as the words they spell: obscenity reads `folded` (it
 * undoes leetspeak and look-alikes itself); the extra list reads `spelt` (see spellOut).
 */
export function findProfanity(folded: string, spelt: string): string[] {
  const terms = matcher
    .getAllMatches(folded, true)
    .map((match) => dataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord)
    .filter((term): term is string => term !== undefined);
  for (const [term, pattern] of EXTRA) if (pattern.test(spelt)) terms.push(term);
  for (const word of spelt.split(/\s+/u)) if (MASKABLE.includes(word)) terms.push(word);
  return [...new Set(terms)];
}
