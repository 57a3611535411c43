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
  eraseConfirm: {
    en: [
      'I can delete everything we hold about you: this chat, earlier conversations and what you told us. This cannot be undone. Shall I go ahead?',
    ],
    de: [
      'Ich kann alles löschen, was wir über Sie gespeichert haben: diesen Chat, frühere Gespräche und Ihre Angaben. Das lässt sich nicht rückgängig machen. Soll ich das tun?',
    ],
  },
  erased: {
    en: [
      "Done. I've erased your conversations and details from our chat records. If you write again, we'll start fresh.",
    ],
    de: [
      'Erledigt. Ich habe Ihre Gespräche und Angaben aus unseren Chat-Daten gelöscht. Wenn Sie wieder schreiben, beginnen wir von vorn.',
    ],
  },
  eraseCancelled: {
    en: ['Alright, I have kept everything as it was.'],
    de: ['In Ordnung, ich habe nichts gelöscht.'],
  },
  invalid: {
    en: ["That doesn't look quite right."],
    de: ['Das scheint nicht ganz zu passen.'],
  },
} satisfies Record<string, Translations>;

/** Yes / No, also as the digits of numbered options ("1. Yes", "2. No") on channels without buttons. */
export const YES =
  /^(1\.?$|y|yes|yeah|yep|yup|sure|ok(ay)?|please do|go ahead|do it|correct|right|confirm(ed)?|ja|jawohl|gerne|klar|mach(en sie)? das)\b/i;
export const NO =
  /^(2\.?$|n|no|nope|nah|don'?t|do not|stop|cancel|never ?mind|nein|lieber nicht|abbrechen)\b/i;
/** "No, I meant …", "actually …": the customer corrects what they said before. */
export const CORRECTION =
  /^(no|nope|sorry|actually|i meant|nein|eigentlich|ich meinte)\b|\bi meant\b|\bmeinte\b/i;
/** "Tell me more": the answer to "would you like more detail?" (1 is its only button's digit). */
export const MORE =
  /^(1\.?$|more|tell me more|details?|more details?|go on|y|yes|yeah|yep|sure|please|ok(ay)?|mehr|mehr details|ja|gerne|bitte)\b/i;
