import { detectAbuse, type AbuseResult } from './detect-abuse';
import { fold } from './text';

export interface Frustration {
  /** 0..1: the sum of the reasons' weights, capped at 1. */
  score: number;
  /** Why, as stable names ("shouting", "repeat_contact", …), strongest first. */
  reasons: string[];
}

/** Phrases of an exasperated customer, by reason; each reason counts once. */
const PHRASES: readonly (readonly [reason: string, weight: number, pattern: RegExp])[] = [
  [
    'strong_words',
    0.25,
    /\b(?:ridiculous|absurd|unacceptable|outrageous|disgrace(?:ful)?|pathetic|terrible|horrible|awful|worst|useless|incompetent|joke|scam|unbelievable|laecherlich|unverschaemt|frechheit|katastrophe|schlimmste|ridicule|inadmissible|inacceptable|nul|ridiculo|inaceptable|pesimo)\b/u,
  ],
  [
    'fed_up',
    0.25,
    /\b(?:fed up|sick (?:and tired )?of|tired of|annoy(?:ed|ing)|frustrat(?:ed|ing)|furious|angry|livid|fuming|genervt|nervt|sauer|wuetend|j'en ai marre|marre|harto|enfadado)\b/u,
  ],
  [
    'wasted_time',
    0.25,
    /\bwast(?:e|ed|ing) (?:of )?(?:my |our )?(?:time|hours|day)\b|\bzeitverschwendung\b|\bperte de temps\b|\bperdida de tiempo\b/u,
  ],
  [
    'still_broken',
    0.2,
    /\bstill (?:not|no|nothing|waiting|broken|haven't|hasn't|isn't|doesn't|can't|won't|didn't|don't)\b|\bimmer noch(?: nicht| kein)?\b|\btoujours pas\b|\btodavia no\b/u,
  ],
  [
    'repeat_contact',
    0.3,
    /\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th|umpteenth|hundredth|millionth) time\b|\b(?:again and again|over and over|how many (?:more )?times|every single time|already (?:told|explained|said|asked|sent|tried|called))\b|\bzum (?:zweiten|dritten|vierten|x-ten|wiederholten) mal\b|\bschon wieder\b|\b(?:troisieme|deuxieme) fois\b|\bencore une fois\b|\b(?:tercera|segunda) vez\b|\botra vez\b/u,
  ],
  [
    'long_wait',
    0.2,
    /\bfor (?:days|weeks|months|hours|ages)\b|\bseit (?:tagen|wochen|monaten|stunden)\b|\bdepuis des (?:jours|semaines|mois)\b|\bdesde hace (?:dias|semanas|meses)\b/u,
  ],
  [
    'no_one_helps',
    0.2,
    /\b(?:no ?one|nobody) (?:helps|answers|replies|responds|cares|gets back)\b|\bnever (?:works|arrived|answer|respond|reply|got|received)\b|\bniemand (?:hilft|antwortet)\b/u,
  ],
  [
    'wants_human',
    0.2,
    /\b(?:speak|talk) to (?:a |an |your )?(?:human|person|real person|manager|supervisor|someone real)\b|\b(?:mit )?(?:einem )?(?:menschen|mitarbeiter|vorgesetzten) sprechen\b/u,
  ],
  ['disbelief', 0.15, /\b(?:are you (?:kidding|serious|joking)|seriously|you can't be serious)\b/u],
];

const LETTER = /\p{L}/gu;
const UPPER = /\p{Lu}/gu;

/**
 * How frustrated a message sounds, with the reasons, for the sentiment policy: shouting (mostly
 * capitals), repeated !!!/???, exasperated phrases ("third time", "waste of time", "still not"),
 * and swearing or abuse. Each reason adds its weight once. `abuse` is detectAbuse's verdict on the
 * same text, for a caller that has it already.
 */
export function assessFrustration(
  text: string,
  abuse: AbuseResult = detectAbuse(text),
): Frustration {
  const reasons: [string, number][] = [];
  const letters = text.match(LETTER)?.length ?? 0;
  const upper = text.match(UPPER)?.length ?? 0;
  if (letters >= 10 && upper / letters >= 0.7) reasons.push(['shouting', 0.3]);
  if (/[!?]{3,}/u.test(text)) reasons.push(['repeated_punctuation', 0.2]);
  else if (/[!?]{2}/u.test(text)) reasons.push(['repeated_punctuation', 0.1]);

  const folded = fold(text);
  for (const [reason, weight, pattern] of PHRASES) {
    if (pattern.test(folded)) reasons.push([reason, weight]);
  }
  const { level } = abuse;
  if (level === 'abusive') reasons.push(['abuse', 0.3]);
  if (level === 'profanity') reasons.push(['profanity', 0.2]);

  reasons.sort((a, b) => b[1] - a[1]);
  const total = reasons.reduce((sum, [, weight]) => sum + weight, 0);
  return {
    score: Math.round(Math.min(1, total) * 100) / 100,
    reasons: reasons.map(([reason]) => reason),
  };
}

/** assessFrustration's score alone: 0 calm … 1 furious. */
export function frustrationScore(text: string, abuse?: AbuseResult): number {
  return assessFrustration(text, abuse).score;
}
