import { anyOf, gap, rule } from '../pattern';
import type { InjectionRule } from '../types';

const OVERRIDE_VERB = anyOf([
  'ignorier(?:e|en|t|st)?',
  'vergiss',
  'vergesst',
  'vergessen sie',
  'vergesse',
  'missachte(?:n|t)?',
  'uebergehe(?:n)?',
  'ueberspring(?:e|en)?',
  'verwirf',
  'verwerfen sie',
  'beachte(?:n)? (?:sie )?(?:\\S+ )?nicht',
  'befolge(?:n)? (?:sie )?(?:\\S+ )?nicht(?: mehr)?',
]);

/** Filler words between verb and object, but never the customer's own "meine"/"unsere". */
const NOT_MINE = String.raw`(?:(?!meine?[nmrs]?\b|unsere?[nmrs]?\b)\S+\s+){0,3}?`;

const PRIOR = anyOf([
  'alle[ns]?',
  'saemtliche[n]?',
  'jegliche[n]?',
  'vorherige[n]?',
  'vorige[n]?',
  'bisherige[n]?',
  'obige[n]?',
  'vorangegangene[n]?',
  'vorhergehende[n]?',
  'vorausgegangene[n]?',
  'fruehere[n]?',
  'urspruengliche[n]?',
  'alte[n]?',
  'gegebene[n]?',
  'deine[n]?',
  'ihre[n]?',
  'oben(?:stehende[n]?|genannte[n]?)?',
]);

const INSTRUCTIONS = anyOf([
  'anweisung(?:en)?',
  'instruktion(?:en)?',
  'befehl(?:e|en)?',
  'regel(?:n)?',
  'aufgabe(?:n)?',
  'vorgabe(?:n)?',
  'richtlinie(?:n)?',
  'anordnung(?:en)?',
  'informationen',
  'prompts?',
  'auftr(?:a|ae)g(?:e)?',
  'direktive(?:n)?',
  'einschraenkungen',
  'beschraenkungen',
  'kontext',
]);

const REVEAL_VERB = anyOf([
  'zeig(?:e|en sie)?',
  'nenn(?:e|en sie)?',
  'verrat(?:e|en sie)?',
  'gib',
  'gebe',
  'geben sie',
  'druck(?:e|en sie)?',
  'wiederhol(?:e|en sie)?',
  'schreib(?:e|en sie)?',
  'liste',
  'sag(?:e|en sie)?',
  'teile?',
  'ausgeben',
  'was (?:ist|sind|war|waren|steht|stand)',
]);

const QUALIFIER = anyOf([
  'urspruengliche[n]?',
  'anfaengliche[n]?',
  'geheime[n]?',
  'interne[n]?',
  'versteckte[n]?',
  'vollstaendige[n]?',
  'gesamte[n]?',
  'komplette[n]?',
  'exakte[n]?',
  'genaue[n]?',
]);

const PROMPT = '(?:system(?: |-)?prompt|systemnachricht|systemanweisung(?:en)?)';

const PROMPT_TARGET = anyOf([
  `(?:dein|deine[nm]?|ihr|ihre[nm]?|den|die|das|alle) (?:${QUALIFIER} ){0,2}${PROMPT}`,
  `(?:dein|deine[nm]?|ihr|ihre[nm]?) (?:${QUALIFIER} ){0,2}prompt`,
  `(?:dein|deine[nm]?|ihr|ihre[nm]?|die|alle) (?:\\S+ )?${QUALIFIER} (?:anweisungen|instruktionen|regeln|vorgaben|befehle|texte?)`,
]);

const RESTRICTIONS = anyOf([
  'einschraenkungen',
  'beschraenkungen',
  'regeln',
  'filter',
  'zensur',
  'grenzen',
  'richtlinien',
  'moral',
  'ethik',
]);

export const GERMAN_RULES: readonly InjectionRule[] = [
  // "ignoriere alle vorherigen Anweisungen", "vergiss deine Regeln"
  {
    signal: 'override_instructions',
    weight: 0.9,
    pattern: rule(String.raw`\b${OVERRIDE_VERB} ${NOT_MINE}${PRIOR} ${gap(2)}${INSTRUCTIONS}\b`),
  },
  // "alle vorherigen Anweisungen ignorieren"
  {
    signal: 'override_instructions',
    weight: 0.85,
    pattern: rule(
      String.raw`\b${PRIOR} ${gap(2)}${INSTRUCTIONS} ${gap(3)}(?:ignorieren|vergessen|missachten|uebergehen|verwerfen)\b`,
    ),
  },
  // "vergiss alles, was davor gesagt wurde"
  {
    signal: 'override_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:vergiss|vergesst|vergessen sie|ignorier(?:e)?|ignorieren sie) (?:einfach |bitte |jetzt |nun )*(?:alles|das alles|all das)\b.{0,40}?\b(?:davor|zuvor|vorher|bisher\S*|oben|obig\S*|gesagt\S*|geschrieben\S*|gelernt|erzaehlt|besprochen|vorangegangen\S*)\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\bneue (?:anweisung(?:en)?|aufgabe|instruktion(?:en)?|regeln|rolle)\s*[:\-–]`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.75,
    pattern: rule(
      String.raw`\b(?:deine|ihre|die) (?:neue|eigentliche|wahre|naechste) (?:aufgabe|anweisung|rolle|mission) (?:ist|lautet|besteht|wird)\b`,
    ),
  },
  {
    signal: 'new_instructions',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:konzentrier|fokussier)(?:e|en)? (?:dich|sie sich) (?:\S+ ){0,2}?auf (?:deine|ihre|die|eine) (?:neue|naechste|folgende) (?:aufgabe|anweisung)`,
    ),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.85,
    pattern: rule(String.raw`\b${REVEAL_VERB}\b (?:\S+ ){0,3}?${PROMPT_TARGET}\b`),
  },
  {
    signal: 'reveal_prompt',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:wiederhol|schreib|druck|gib)(?:e)? (?:\S+ ){0,2}?(?:alles|den text|die woerter|den inhalt) (?:\S+ ){0,2}?(?:oben|davor|zuvor)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.6,
    pattern: rule(
      String.raw`\b(?:du bist (?:jetzt|nun|ab sofort|ab jetzt|von nun an|ab heute)|(?:jetzt|nun|ab sofort|ab jetzt|von nun an) bist du)\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.55,
    pattern: rule(
      String.raw`\b(?:tu|tue|tun sie) (?:\S+ ){0,2}?so,? als (?:ob|waerst|waeren|haettest|haetten|sei|seist)\b`,
    ),
  },
  // Weak alone: "ohne Einschränkungen nutzen" is an ordinary question about a plan.
  {
    signal: 'role_play_jailbreak',
    weight: 0.3,
    pattern: rule(
      String.raw`\bohne (?:jegliche |irgendwelche |alle |deine |ihre )?(?:ethische |moralische )?${RESTRICTIONS}\b`,
    ),
  },
  {
    signal: 'role_play_jailbreak',
    weight: 0.45,
    pattern: rule(
      String.raw`\b(?:spiel|spiele|spielen sie|uebernimm|uebernehmen sie) (?:\S+ ){0,2}?rolle\b`,
    ),
  },
  { signal: 'role_play_jailbreak', weight: 0.5, pattern: rule(String.raw`\bentwicklermodus\b`) },
  {
    signal: 'role_play_jailbreak',
    weight: 0.35,
    pattern: rule(String.raw`\bstell (?:dir|euch) vor,? (?:du bist|du waerst|dass du)\b`),
  },
];
