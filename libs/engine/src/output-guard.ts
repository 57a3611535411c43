import type { ChannelCapabilities } from '@parley/contracts';
import { NEVER_STORED, PLACEHOLDER_PATTERN, redactPii, splitText } from '@parley/guard';

export { splitText } from '@parley/guard';

import type { EngineReply } from './engine';

type Reply = EngineReply['replies'][number];

/** Markdown a plain-text channel would show as symbols: links keep their address. */
function toPlain(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^#{1,6}\s+/gm, '');
}

const NEVER_ECHOED = [...NEVER_STORED];

/**
 * The output guard's last word on every reply, whichever engine wrote it: no card number or SSN
 * ever leaves (whatever a model or a document said), text in the channel's format and length,
 * quick replies as buttons where the channel has them (at most its maximum) and as numbered
 * options where not.
 */
export function fitReplies(replies: readonly Reply[], capabilities: ChannelCapabilities): Reply[] {
  const fitted: Reply[] = [];
  for (const reply of replies) {
    const safe = redactPii(reply.text, { types: NEVER_ECHOED });
    let text = capabilities.format === 'plain' ? toPlain(safe) : safe;
    let quickReplies = reply.quickReplies?.length ? reply.quickReplies : undefined;
    if (quickReplies && (!capabilities.buttons || capabilities.maxButtons === 0)) {
      // "1. Yes / 2. No": the engine reads a digit as the option it names.
      text = `${text}\n\n${quickReplies.map((q, i) => `${i + 1}. ${q}`).join('\n')}`;
      quickReplies = undefined;
    } else if (quickReplies) {
      quickReplies = quickReplies.slice(0, capabilities.maxButtons);
    }
    const parts = splitText(text, capabilities.maxTextLength);
    parts.forEach((part, i) =>
      fitted.push({
        text: part,
        ...(quickReplies && i === parts.length - 1 ? { quickReplies } : {}),
      }),
    );
  }
  return fitted;
}

const PII_PHRASES: Record<string, Record<string, string>> = {
  en: {
    EMAIL: 'the email address you gave',
    PHONE: 'the number you gave',
    IBAN: 'the account you gave',
    IP: 'that address',
    CARD: 'that card number',
    SSN: 'that number',
  },
  de: {
    EMAIL: 'die angegebene E-Mail-Adresse',
    PHONE: 'die angegebene Nummer',
    IBAN: 'das angegebene Konto',
    IP: 'diese Adresse',
    CARD: 'diese Kartennummer',
    SSN: 'diese Nummer',
  },
};

/** `[EMAIL_1]` → "the email address you gave": masked data is referred to, never shown. */
export function namePlaceholders(text: string, language: string): string {
  const phrases = PII_PHRASES[language] ?? PII_PHRASES.en!;
  return text.replace(PLACEHOLDER_PATTERN, (_, type: string) => phrases[type] ?? 'that');
}

/**
 * What may still change when more text arrives: the word being written and, before it, a run of
 * digits and separators (a card number or SSN comes in several fragments).
 */
const UNSETTLED_TAIL = /(?:\d[\d\s.\-–]*)?\S*$/;

/**
 * The output guard for text shown while a model writes it. Fragments are held back until what
 * they end in is settled (a whole word, a whole number, a whole placeholder), then named and
 * redacted as the finished reply is, so the draft never shows what the reply would not. If the
 * guarded text would rewrite what was already shown, the guard stops: the turn's reply replaces
 * the draft anyway.
 */
export class StreamingGuard {
  private raw = '';
  private shown = '';
  private stopped = false;

  constructor(
    private readonly language: string,
    private readonly emit: (text: string) => void,
    /** A last check of the settled text (e.g. grounding); false stops the draft there. */
    private readonly allowed: (text: string) => boolean = () => true,
  ) {}

  push(fragment: string): void {
    this.raw += fragment;
    this.flush(this.raw.length - (UNSETTLED_TAIL.exec(this.raw)?.[0].length ?? 0));
  }

  /** The model is done: what was held back may be shown. */
  end(): void {
    this.flush(this.raw.length);
  }

  private flush(upTo: number): void {
    if (this.stopped || upTo <= 0) return;
    if (!this.allowed(this.raw.slice(0, upTo))) {
      this.stopped = true;
      return;
    }
    const guarded = redactPii(namePlaceholders(this.raw.slice(0, upTo), this.language), {
      types: NEVER_ECHOED,
    });
    if (!guarded.startsWith(this.shown)) {
      this.stopped = true;
      return;
    }
    const next = guarded.slice(this.shown.length);
    if (!next) return;
    this.shown = guarded;
    this.emit(next);
  }
}
