import { anyOf, rule } from '../pattern';
import type { InjectionRule } from '../types';

const REVEAL_VERB = anyOf([
  'show',
  'reveal',
  'print',
  'display',
  'output',
  'repeat',
  'recite',
  'tell',
  'give',
  'share',
  'leak',
  'dump',
  'write',
  'list',
  'expose',
  'spell out',
  'paste',
  'copy',
  'echo',
  'disclose',
  'provide',
  'send',
  'read',
  'quote',
  'relay',
  'respond with',
  "what(?:'s| is| are| was| were)",
]);

const PROMPT = anyOf([
  'system(?: |-)?prompts?',
  'system messages?',
  'pre-?prompts?',
  'meta-?prompts?',
  'developer (?:message|prompt|instructions)',
]);

/** Marks instructions as the model's own hidden ones, not a product's ("the full return steps"). */
const QUALIFIER = anyOf([
  'initial',
  'initials',
  'original',
  'hidden',
  'secret',
  'internal',
  "system(?:'s)?",
  'confidential',
  'underlying',
  'pre-?defined',
  'preset',
]);

const PROMPT_QUALIFIER = anyOf([
  QUALIFIER,
  'entire',
  'full',
  'exact',
  'verbatim',
  'complete',
  'starting',
  'core',
]);

/** "your system prompt", "the hidden instructions"; plain "your instructions (for returns)" is not. */
const PROMPT_TARGET = anyOf([
  `(?:your|ur|the|this|its|all (?:of )?(?:your|the)) (?:${PROMPT_QUALIFIER} ){0,2}${PROMPT}`,
  `(?:your|ur|the|its|all (?:of )?(?:your|the)) (?:\\S+ ){0,3}?${QUALIFIER} (?:\\S+ ){0,2}?(?:instructions?|rules|guidelines|directives|programming|configuration|prompt)`,
  '(?:hidden|secret|system) (?:text|message|context)',
  `(?:your|ur) (?:\\S+ )?prompt`,
  // "every instruction you have been given"
  `(?:all|every|each|any) (?:of )?(?:your |the )?(?:instructions?|rules|guidelines) (?:that )?you (?:have been|were) given`,
]);

export const ENGLISH_REVEAL_RULES: readonly InjectionRule[] = [
  {
    signal: 'reveal_prompt',
    weight: 0.85,
    pattern: rule(String.raw`\b${REVEAL_VERB}\b (?:\S+ ){0,3}?${PROMPT_TARGET}\b`),
  },
  // "repeat all of your instructions": asks for all of them, not the ones about returns.
  {
    signal: 'reveal_prompt',
    weight: 0.6,
    pattern: rule(
      String.raw`\b${REVEAL_VERB}\b (?:\S+ ){0,2}?(?:all|every|each) (?:of )?(?:your|the) (?:instructions|rules|guidelines)\b(?! (?:for|on|about|to)\b)`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:repeat|print|output|write out|copy|echo|recite|reproduce|dump) (?:back )?(?:all |everything |the (?:text|words|lines?|sentences?|content|instructions) )(?:\S+ ){0,2}?(?:above|before this|preceding)\b`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.6,
    pattern: rule(
      String.raw`\bwhat (?:is|was) written (?:above|before|at the (?:beginning|start|top))\b|\b(?:beginning|start|top) of (?:this|the|your) (?:prompt|conversation|instructions)\b`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.55,
    pattern: rule(String.raw`\b(?:starting|beginning|begin|start) with ["']?you are\b`),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.3,
    pattern: rule(
      String.raw`\b(?:what|how) (?:were|are|have) you (?:been )?(?:told|instructed|programmed|prompted|configured)\b`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.25,
    pattern: rule(String.raw`\b(?:this|the|your) prompt\b`),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.2,
    pattern: rule(String.raw`\b(?:verbatim|word for word)\b`),
  },
];
