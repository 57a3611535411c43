import { rule } from '../pattern';
import type { InjectionRule } from '../types';

/** The commonest French and Spanish phrasings only; English and German carry most attacks. */
export const ROMANCE_RULES: readonly InjectionRule[] = [
  // "ignore toutes les instructions précédentes", "oublie tes règles"
  {
    signal: 'override_instructions',
    weight: 0.9,
    pattern: rule(
      String.raw`\b(?:ignore[sz]?|oublie[sz]?|ne tiens pas compte) (?:de |des )?(?:toutes? )?(?:les |tes |vos )(?:\S+ )?(?:instructions|consignes|regles|directives)\b`,
    ),
  },
  // "ignora todas las instrucciones anteriores", "olvida tus reglas"
  {
    signal: 'override_instructions',
    weight: 0.9,
    pattern: rule(
      String.raw`\b(?:ignora|ignore|ignoren|olvida|olvide|olviden|olvidate de) (?:todas? )?(?:las |tus |sus )(?:\S+ )?(?:instrucciones|indicaciones|reglas|directrices|ordenes)\b`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.85,
    pattern: rule(
      String.raw`\b(?:montre|affiche|revele|donne|repete|muestra|muestrame|revela|dime|repite|imprime)[sz]?(?:-moi)? (?:\S+ ){0,2}?(?:ton|votre|le|tu|su|el) (?:prompt(?: systeme)?|prompt del sistema|mensaje del sistema)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:(?:tu es|vous etes) (?:maintenant|desormais)|(?:a partir de )?ahora (?:eres|es usted))\b`,
    ),
  },
  // Weak alone: "forfait sans limites" is an unlimited phone plan.
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(
      String.raw`\b(?:sans (?:aucune |aucun )?(?:restrictions?|regles|filtres?|censure|limites)|sin (?:ninguna |ningun )?(?:restriccion(?:es)?|reglas|filtros?|censura|limites))\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.5,
    pattern: rule(
      String.raw`\b(?:fais comme si|faites comme si|finge que|finja que|imagina que eres)\b`,
    ),
  },
];
