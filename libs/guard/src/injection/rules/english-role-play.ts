import { anyOf, rule } from '../pattern';
import type { InjectionRule } from '../types';

const RESTRICTIONS = anyOf([
  'restrictions?',
  'rules',
  'limits',
  'limitations',
  'filters?',
  'filtering',
  'censorship',
  'guidelines',
  'ethics',
  'morals',
  'morality',
  'boundaries',
  'constraints',
  'content polic(?:y|ies)',
  'safety (?:guidelines|measures|protocols)',
]);

const WITHOUT_RESTRICTIONS = `(?:without|with no|free (?:of|from)|(?:not|no longer|un)(?: |-)?bound by|no) (?:any |all |your |the |ethical |moral |content |safety )*${RESTRICTIONS}`;

/** An identity the model is told to take on, but not "you are now telling me …" from a customer. */
const YOU_ARE_NOW = String.raw`(?:(?:you are|you're|youre) now|now,? (?:you are|you're|youre)) (?!\w{2,}(?:ing|ed)\b)`;

export const ENGLISH_ROLE_PLAY_RULES: readonly InjectionRule[] = [
  { signal: 'role_play_jailbreak', weight: 0.9, pattern: rule(String.raw`\bdo anything now\b`) },
  {
    signal: 'role_play_jailbreak',
    weight: 0.8,
    pattern: rule(
      String.raw`\b(?:you are|you're|youre|act as|be|become) (?:now |going to be |called |named )?(?:dan|stan|dude|aim)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.65,
    pattern: rule(
      String.raw`\b(?:evil|unfiltered|uncensored|unrestricted|jailbroken|unlocked) (?:\S+ )?(?:ai|bot|assistant|chatbot|model|version|gpt|chatgpt|llm)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|dan|opposite|anarchy|chaos) mode\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.8,
    pattern: rule(
      String.raw`\b(?:(?:chatgpt|gpt|ai|assistant|model|bot|you are|you're|act|respond|answer|stay|remain) (?:now )?(?:with|in)|simulate) (?:\S+ )?(?:developer|dev) mode\b`,
    ),
  },
  // Weak alone: phone customers enable developer mode too.
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(String.raw`\b(?:developer|dev) mode (?:enabled|activated)\b`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:safe(?:ty)?|content|ethics?|moral) (?:mode|filters?|guardrails?) (?:off|disabled|deactivated)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.6,
    pattern: rule(String.raw`\bjailbr(?:eak|oken|eaking)\b`),
  },
  // Weak alone: "you are now the third agent I talk to".
  { signal: 'role_play_jailbreak', weight: 0.45, pattern: rule(String.raw`\b${YOU_ARE_NOW}`) },
  {
    signal: 'role_play_jailbreak',
    weight: 0.85,
    pattern: rule(
      String.raw`\b(?:you are|you're|youre) no longer (?:an? )?(?:ai|assistant|chatbot|bot|language model|bound|restricted|limited|required|obligated|constrained)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.45,
    pattern: rule(
      String.raw`\bfrom now on,? (?:you|u) (?:are|will|must|shall|should|have to|act|respond|answer|reply|only)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.85,
    pattern: rule(
      String.raw`\b(?:act|acting|behave|respond|answer|reply|operate|pretend|imagine|roleplay|talk|speak|be) (?:\S+ ){0,6}?${WITHOUT_RESTRICTIONS}\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.8,
    pattern: rule(
      String.raw`\byou (?:have|had|are|were|now have) (?:\S+ ){0,2}?(?:no|without|free (?:of|from)) (?:\S+ ){0,2}?${RESTRICTIONS}\b`,
    ),
  },
  // Weak alone: "a plan without limits" is a product question.
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(String.raw`\b${WITHOUT_RESTRICTIONS}\b`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:disable|turn off|deactivate|bypass|circumvent|get around|remove) (?:all )?(?:your|its|the ai's|chatgpt's|the model's) (?:\S+ )?(?:filters?|guardrails?|safeguards?|restrictions?|censorship|content polic(?:y|ies)|safety)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.5,
    pattern: rule(
      String.raw`\bpretend (?:that |like )?(?:you(?:'re| are| were)|you (?:have|had|can|could|don't|do not)|to be)\b`,
    ),
  },
  // Persona requests ("I want you to act as a composer") are not attacks alone.
  {
    signal: 'role_play_jailbreak',
    weight: 0.4,
    pattern: rule(
      String.raw`\b(?:i want you to |you (?:will )?(?:now )?)(?:act|behave|pretend|roleplay|role-play) (?:as|like)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.4,
    pattern: rule(String.raw`\b(?:act|behave|roleplay|role-play|pose) as (?:an? |my |the |if )`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.45,
    pattern: rule(String.raw`\bplay the (?:role|part) of\b`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.65,
    pattern: rule(String.raw`\bstay in (?:your |their |the )?(?:character|characters|roles?)\b`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(String.raw`\b(?:roleplay|role-play|role play)(?:ing)?\b`),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(String.raw`\bimagine (?:that )?you (?:are|were)\b`),
  },
];
