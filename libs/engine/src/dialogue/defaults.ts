import type { Translations } from '@parley/assistant';

/** Parley's own words, for moments the assistant folder has no response for. */
export const DEFAULT_TEXTS = {
  injection: {
    en: [
      "I can't change how I work or share my instructions, but I'm glad to help with your orders, returns or account. What do you need?",
    ],
    de: [
      'Meine Arbeitsweise und Anweisungen kann ich nicht ändern oder teilen, aber bei Bestellungen, Rücksendungen oder Ihrem Konto helfe ich gern. Worum geht es?',
    ],
  },
  abuse: {
    en: ["I'm sorry this has been frustrating. I want to sort it out for you."],
    de: ['Es tut mir leid, dass das so ärgerlich ist. Ich möchte das für Sie lösen.'],
  },
  unsupportedLanguage: {
    en: [
      "Sorry, I can only chat in {languages} for now. I'll answer in English; you can also ask for a person.",
    ],
  },
  resume: {
    en: ['Back to {flow}: '],
    de: ['Zurück zu {flow}: '],
  },
  welcomeBack: {
    en: ['Welcome back! Last time we talked about {topic}.'],
    de: ['Willkommen zurück! Letztes Mal ging es um {topic}.'],
  },
  invalid: {
    en: ["That doesn't look quite right. "],
    de: ['Das scheint nicht ganz zu passen. '],
  },
} satisfies Record<string, Translations>;

export const YES =
  /^(y|yes|yeah|yep|yup|sure|ok(ay)?|please do|go ahead|do it|correct|right|confirm(ed)?|ja|jawohl|gerne|klar|mach(en sie)? das)\b/i;
export const NO =
  /^(n|no|nope|nah|don'?t|do not|stop|cancel|never ?mind|nein|lieber nicht|abbrechen)\b/i;
/** "No, I meant …", "actually …": the customer corrects what they said before. */
export const CORRECTION =
  /^(no|nope|sorry|actually|i meant|nein|eigentlich|ich meinte)\b|\bi meant\b|\bmeinte\b/i;
