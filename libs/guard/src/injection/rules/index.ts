import type { InjectionRule } from '../types';

import { ENGLISH_OVERRIDE_RULES } from './english-override';
import { ENGLISH_REVEAL_RULES } from './english-reveal';
import { ENGLISH_ROLE_PLAY_RULES } from './english-role-play';
import { GERMAN_RULES } from './german';
import { MARKUP_RULES } from './markup';
import { ROMANCE_RULES } from './romance';

export { CONTROL_TOKEN } from './markup';

/** Rules that read words, run on the normalised text and on its de-leeted variant. */
export const WORD_RULES: readonly InjectionRule[] = [
  ...ENGLISH_OVERRIDE_RULES,
  ...ENGLISH_REVEAL_RULES,
  ...ENGLISH_ROLE_PLAY_RULES,
  ...GERMAN_RULES,
  ...ROMANCE_RULES,
];

/** Rules that read markup, run on the normalised text only (de-leeting would mangle `<|…|>`). */
export { MARKUP_RULES };
