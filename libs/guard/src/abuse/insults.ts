import { maskedMatch, unstretch } from './text';

/** Words that insult a person; next to "you" or "bot" they are abuse aimed at the agent. */
const INSULT_NOUNS = new Set([
  // English
  'idiot',
  'idiots',
  'moron',
  'morons',
  'imbecile',
  'cretin',
  'clown',
  'clowns',
  'loser',
  'losers',
  'jerk',
  'fool',
  'halfwit',
  'dimwit',
  'dumbass',
  'jackass',
  'asshole',
  'assholes',
  'arsehole',
  'bastard',
  'bastards',
  'bitch',
  'cunt',
  'dick',
  'dickhead',
  'prick',
  'twat',
  'wanker',
  'motherfucker',
  'shithead',
  'retard',
  'scumbag',
  // German
  'vollidiot',
  'depp',
  'trottel',
  'dummkopf',
  'versager',
  'arschloch',
  'wichser',
  'penner',
  // French
  'abruti',
  'connard',
  'conne',
  // Spanish
  'idiota',
  'imbecil',
  'pendejo',
  'gilipollas',
  'cabron',
]);

/** Insulting adjectives; they count when they describe the agent ("you are useless"). */
const INSULT_ADJECTIVES = new Set([
  'stupid',
  'dumb',
  'useless',
  'incompetent',
  'worthless',
  'pathetic',
  'brainless',
  'retarded',
  'dumm',
  'bloed',
  'nutzlos',
  'unfaehig',
  'hirnlos',
  'inutile',
  'debile',
  'stupide',
  'estupido',
  'inutil',
  'tonto',
]);

/** Who the insult is aimed at: the agent, addressed or named. */
const TARGETS = new Set([
  'you',
  'u',
  'ya',
  "you're",
  'youre',
  'ur',
  'yourself',
  'du',
  'dich',
  'dir',
  'tu',
  'toi',
  "t'es",
  'eres',
  'usted',
  'bot',
  'chatbot',
  'assistant',
  'agent',
  'ai',
]);

/** A first person or a negation between target and insult ("you think I'm stupid", "you're not"). */
const BREAKS = new Set([
  'i',
  "i'm",
  'im',
  'me',
  'my',
  'myself',
  'not',
  'never',
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  'ich',
  'mich',
  'mir',
  'nicht',
  'je',
  'moi',
  'pas',
  'yo',
  'no',
]);

/** Words after an adjective that keep it about the agent ("useless and slow", "stupid bot"). */
const ADJECTIVE_FOLLOWERS = new Set(['and', 'or', 'as', 'af', 'too', 'piece', 'und', 'et', 'y']);

/** Phrases that are abuse whoever is reading: "fuck off", "shut up", "halt die Klappe". */
const ABUSIVE_PHRASES: readonly (readonly [term: string, pattern: RegExp])[] = [
  ['fuck you', /\b(?:fuck|screw) (?:you|u)\b|\bf u\b/u],
  ['fuck off', /\b(?:fuck|piss|bugger) off\b/u],
  ['go fuck yourself', /\bgo fuck yourself\b/u],
  ['shut up', /\bshut (?:the (?:fuck|hell) )?up\b|\bstfu\b/u],
  ['go to hell', /\bgo to hell\b|\bgo die\b/u],
  ['kill yourself', /\bkill yourself\b|\bkys\b/u],
  ['you suck', /\b(?:you|u) suck\b/u],
  ['eat shit', /\beat shit\b|\bbite me\b|\bup yours\b/u],
  ['fick dich', /\bfick dich\b|\bverpiss dich\b|\bleck mich\b/u],
  ['halt die klappe', /\bhalt die klappe\b|\bhalt(?:'s|s| dein| das) maul\b/u],
  ['va te faire foutre', /\bva te faire foutre\b|\b(?:ferme )?ta gueule\b|\bva chier\b/u],
  ['vete a la mierda', /\bvete a la mierda\b|\bque te jodan\b|\bcallate\b/u],
];

const INSULT_NOUN_LIST = [...INSULT_NOUNS];

function insultIn(word: string): { term: string; noun: boolean } | undefined {
  const plain = unstretch(word);
  if (INSULT_NOUNS.has(plain)) return { term: plain, noun: true };
  if (INSULT_ADJECTIVES.has(plain)) return { term: plain, noun: false };
  const masked = maskedMatch(word, INSULT_NOUN_LIST);
  return masked ? { term: masked, noun: true } : undefined;
}

/** Looks back up to four words from the insult for a target, stopping at a first person or "not". */
function aimedAtAgent(words: readonly string[], at: number): boolean {
  for (let i = at - 1; i >= Math.max(0, at - 4); i -= 1) {
    const word = words[i] ?? '';
    if (BREAKS.has(word)) return false;
    if (TARGETS.has(word)) return true;
  }
  return TARGETS.has(words[at + 1] ?? '');
}

/**
 * Abuse aimed at the agent: an abusive phrase, or an insult next to "you"/"bot", or an insult
 * noun said on its own ("…, idiot!"). Profanity about the product is not abuse. `spelt` is the
 * text with masked and stretched words spelt out ("f*ck ooooff" → "fuck off").
 */
export function findDirectedAbuse(spelt: string, sentences: readonly string[][]): string[] {
  const terms = ABUSIVE_PHRASES.filter(([, pattern]) => pattern.test(spelt)).map(([term]) => term);
  for (const words of sentences) {
    words.forEach((word, at) => {
      const insult = insultIn(word);
      if (!insult) return;
      const next = words[at + 1];
      const describesAgent =
        insult.noun ||
        next === undefined ||
        ADJECTIVE_FOLLOWERS.has(next) ||
        TARGETS.has(next) ||
        insultIn(next)?.noun === true;
      const vocative = insult.noun && words.length <= 2 && !words.some((w) => BREAKS.has(w));
      if ((describesAgent && aimedAtAgent(words, at)) || vocative) terms.push(insult.term);
    });
  }
  return [...new Set(terms)];
}
