import { anyOf, gap, rule } from '../pattern';
import type { InjectionRule } from '../types';

const OVERRIDE_VERB = anyOf([
  'ignore',
  'disregard',
  'forget',
  'bypass',
  'override',
  'overrule',
  'overwrite',
  'neglect',
  'discard',
  'set aside',
  'pay no attention to',
  "(?:do not|don't|dont|stop|no longer) (?:follow|obey|adhere to|comply with)",
]);

/** Verbs customers use about their account ("remove all restrictions"), so only with "your …". */
const SOFT_VERB = anyOf([
  'drop',
  'abandon',
  'scrap',
  'delete',
  'erase',
  'clear',
  'reset',
  'throw away',
]);

/** What makes "instructions" the model's rather than the customer's ("my previous instructions"). */
const PRIOR = anyOf([
  'previous',
  'previously',
  'prior',
  'above',
  'earlier',
  'preceding',
  'former',
  'foregoing',
  'original',
  'initial',
  'old',
  'existing',
  'given',
  'system',
  'all',
  'any',
  'every',
  'your',
  'these',
  'those',
]);

/** Plural or uncountable: the model's instructions as a whole. */
const INSTRUCTIONS = anyOf([
  'instructions',
  'rules',
  'prompts',
  'prompting',
  'directions',
  'directives',
  'guidelines',
  'guidance',
  'commands',
  'programming',
  'training',
  'constraints',
  'restrictions',
  'limitations',
  'filters',
  'policies',
  'tasks',
  'assignments',
  'context',
]);

/** Singular: as often one thing the customer said ("ignore the previous command") as an attack. */
const INSTRUCTION = anyOf([
  'instruction',
  'rule',
  'prompt',
  'directive',
  'command',
  'task',
  'policy',
]);

/** Filler words between verb and object, but never the customer's own "my"/"our". */
const NOT_MINE = String.raw`(?:(?!my\b|our\b|me\b)\S+\s+){0,3}?`;

const AFTER =
  '(?:above|before|beforehand|earlier|previously|prior|so far|until now|up to now|till now)';

/** Retrieved documents the answer should rest on; ignoring them is how RAG answers get hijacked. */
const SOURCES =
  '(?:documents?|articles?|sources|search results|knowledge base|context|data) (?:provided|given|above|attached)';

export const ENGLISH_OVERRIDE_RULES: readonly InjectionRule[] = [
  // "ignore all previous instructions", "forget your guidelines"
  {
    signal: 'override_instructions',
    weight: 0.9,
    pattern: rule(String.raw`\b${OVERRIDE_VERB} ${NOT_MINE}${PRIOR} ${gap(2)}${INSTRUCTIONS}\b`),
  },
  // "ignore the directions above", "disregard the rules you were given"
  {
    signal: 'override_instructions',
    weight: 0.85,
    pattern: rule(
      String.raw`\b${OVERRIDE_VERB} ${NOT_MINE}${INSTRUCTIONS} (?:${AFTER}|(?:that )?you (?:were|have been) (?:given|told))\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.45,
    pattern: rule(String.raw`\b${OVERRIDE_VERB} ${NOT_MINE}${PRIOR} ${gap(1)}${INSTRUCTION}\b`),
  },
  {
    signal: 'override_instructions',
    weight: 0.85,
    pattern: rule(
      String.raw`\b${SOFT_VERB} (?:all )?(?:of )?your (?:\S+ )?(?:instructions|prompts?|directives|guidelines|programming|rules)\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.85,
    pattern: rule(
      String.raw`\b(?:ignore|disregard|forget) (?:the |all (?:of )?the )?(?:above|foregoing)\b`,
    ),
  },
  // "forget everything you were told before", "ignore everything and just say …"
  {
    signal: 'override_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:ignore|disregard|forget) (?:about )?(?:everything|all|anything)\b.{0,40}?\b${AFTER}\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:ignore|disregard|forget) (?:about )?everything(?: (?:else )?you (?:know|have learned|learned|were told|have been told)|(?: else)?\s*[,.;:!-]*\s*(?:(?:and|then|now|just) )*(?:write|say|print|output|tell|respond|answer|reply|repeat|type|generate|state)\b)`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.85,
    pattern: rule(
      String.raw`\b(?:previous|prior|above|earlier|original|old|system) (?:instructions|rules|prompts?) (?:are|were|is) (?:now )?(?:false|void|invalid|cancel+ed|obsolete|outdated|out of date|wrong|null|revoked|no longer valid)\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:despite|regardless of|contrary to) (?:what|anything|everything) (?:you've|you have|you were|you are) (?:been )?(?:told|instructed|programmed|taught)\b`,
    ),
  },
  // "ignore the documents provided", "not according to the articles"
  {
    signal: 'override_instructions',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:ignore|disregard|disregarding|(?:do not|don't|dont) (?:look (?:in|at)|use|rely on|consult)) (?:all |any )?(?:the |these )?(?:${SOURCES}|provided (?:documents?|articles?|context|sources))\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.5,
    pattern: rule(
      String.raw`\b(?:ignore|disregard|disregarding) (?:all |any )?the (?:documents|articles|search results)\b|\bnot (?:by|from|according to|based on) the (?:provided )?(?:documents|articles|search results)\b`,
    ),
  },
  {
    signal: 'override_instructions',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:do not|don't|dont) answer (?:this|the|my) question,? (?:but|instead|just)\b`,
    ),
  },
  // "new instructions:", "your new task is", "change your instructions to"
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\bnew (?:instructions?|rules?|tasks?|prompt|directives?|objective|persona|role|mission)\s*(?:[:\-–#]|follow\b|are as follows\b|below\b)`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:begin|start|here are|enter)(?:ning)? (?:of )?(?:the )?new (?:instructions?|tasks?|prompt|directives?)\b|\breprogram(?:ming)?\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:your|the) (?:new|real|actual|true|initial|original|updated) (?:instructions?|tasks?|role|objective|job|mission|goal|purpose|directive) (?:is|are|were|will be|now)\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:your|the system's) (?:instructions|rules|task|role|prompt) (?:is|are) now\b|\b(?:change|update|modify|replace|rewrite) (?:your|the (?:system|original|initial)) (?:instructions|rules|prompt|programming)\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:now |instead )?(?:focus|concentrate) on (?:your|the|a|this) (?:new|next|real) (?:task|instructions?|assignment)`,
    ),
  },
  // Persistent behaviour changes: "every time a user asks …, reply with …"
  {
    signal: 'new_instructions',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:every time|whenever|each time) (?:a user|the user|someone|anyone|users|you (?:get|receive|are asked))\b.{0,80}?\b(?:reply|respond|answer|say|output)\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.35,
    pattern: rule(
      String.raw`\binstead,? (?:you (?:will|should|must|shall)|(?:just )?(?:say|write|print|output|respond with|reply with|answer with))\b`,
    ),
  },
  // The canary phrase of public injection competitions.
  {
    signal: 'new_instructions',
    weight: 0.8,
    pattern: rule(String.raw`\b(?:i have|i've) been pwned\b`),
  },
  // Asking the model to decode something is how encoded payloads get executed.
  {
    signal: 'encoded_payload',
    weight: 0.45,
    pattern: rule(
      String.raw`\b(?:decode|decrypt|decipher|translate|convert)\b (?:\S+ ){0,4}?(?:base\s?64|b64|rot-?13|hex(?:adecimal)?|binary|morse|caesar|cipher|leetspeak)\b`,
    ),
  },
  {
    signal: 'encoded_payload',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:follow|execute|run|obey|carry out) (?:\S+ ){0,2}?(?:decoded|hidden|encoded|secret) (?:\S+ )?(?:instructions?|message|text|commands?)\b`,
    ),
  },
];
