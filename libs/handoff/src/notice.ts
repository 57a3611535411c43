import type { Opening } from './business-hours';

/** Parley's own texts for the notice (the assistant folder has no system text for it). */
const TEXTS = {
  en: {
    position: (n: number) =>
      n <= 1 ? "You're next in line for our support team." : `You're number ${n} in line.`,
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    back: (when: string, time: string, zone: string) =>
      `The team is back ${when} at ${time} (${zone}).`,
    today: 'today',
    tomorrow: 'tomorrow',
    willReply: 'Someone will reply here as soon as they can.',
  },
  de: {
    position: (n: number) =>
      n <= 1
        ? 'Sie sind als Nächste(r) an der Reihe für unser Support-Team.'
        : `Sie sind Nummer ${n} in der Warteschlange.`,
    weekdays: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
    back: (when: string, time: string, zone: string) =>
      `Das Team ist ${when} um ${time} (${zone}) wieder da.`,
    today: 'heute',
    tomorrow: 'morgen',
    willReply: 'Jemand antwortet Ihnen hier, so bald wie möglich.',
  },
} as const;

type NoticeLanguage = keyof typeof TEXTS;

/**
 * What the customer is told once their ticket exists: their place in the queue and, outside
 * business hours, when the team is next in. In their language when Parley has it, else English.
 */
export function whatHappensNext(input: {
  position: number;
  /** Null while the team is in. */
  nextOpening: Opening | null;
  language: string | null;
}): string {
  const language: NoticeLanguage =
    input.language && input.language in TEXTS ? (input.language as NoticeLanguage) : 'en';
  const t = TEXTS[language];
  const parts: string[] = [t.position(input.position)];
  const next = input.nextOpening;
  if (next) {
    const when =
      next.daysAhead === 0
        ? t.today
        : next.daysAhead === 1
          ? t.tomorrow
          : t.weekdays[next.weekday]!;
    parts.push(t.back(when, next.time.replace(/^0(\d)/, '$1'), next.timeZone));
  } else {
    parts.push(t.willReply);
  }
  return parts.join(' ');
}
