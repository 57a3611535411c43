import type { Entity } from '@parley/assistant';
import { PiiType, placeholdersIn } from '@parley/guard';
import * as chrono from 'chrono-node';

import type { SlotValue } from './state';

export interface ExtractionContext {
  /** The message the text came from: PII placeholders are resolved against it by the tools. */
  messageId: string;
  /** IANA zone that dates and times are read in (the business hours' zone). */
  timeZone: string;
  now: Date;
  /** The slot is being asked for right now: free text counts as the answer. */
  asked: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Minutes east of UTC of `zone` at `at`. */
function offsetMinutes(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((local - at.getTime()) / 60_000);
}

/** `2026-11-24T15:00:00-08:00`: the instant written in the zone's local time. */
export function isoInZone(at: Date, zone: string): string {
  const offset = offsetMinutes(zone, at);
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function readable(at: Date, zone: string, withTime: boolean): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(withTime ? { hour: 'numeric', minute: '2-digit' } : {}),
  }).format(at);
}

const WORD_NUMBERS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  ten: 10,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};

/**
 * Finds an entity's value in masked text. Pattern and list entities are declared in the
 * assistant's entities.yaml; the built-ins (email, phone, amount, dates, text) are Parley's.
 */
export function extractEntity(
  entity: Entity,
  text: string,
  context: ExtractionContext,
): SlotValue | null {
  switch (entity.type) {
    case 'pattern': {
      const match = new RegExp(
        `(?<![\\w-])${entity.pattern}(?![\\w-])`,
        entity.case_sensitive ? 'u' : 'iu',
      ).exec(text);
      if (!match) return null;
      let value = match[0];
      if (entity.normalize === 'upper') value = value.toUpperCase();
      if (entity.normalize === 'lower') value = value.toLowerCase();
      // ORD55120 and ORD-55120 are the same order: keep the declared example's shape.
      const hyphenated = /^([A-Z]+)(\d+)$/.exec(value);
      if (hyphenated && entity.examples.some((e) => e.includes('-')))
        value = `${hyphenated[1]}-${hyphenated[2]}`;
      return { value, display: value };
    }
    case 'list': {
      const lower = text.toLowerCase();
      let best: { canonical: string; length: number; index: number } | null = null;
      for (const [canonical, synonyms] of Object.entries(entity.values)) {
        for (const phrase of [canonical.replace(/[_-]/g, ' '), ...synonyms]) {
          const match = new RegExp(
            `(?<![\\p{L}\\p{N}])${escape(phrase.toLowerCase())}(?![\\p{L}\\p{N}])`,
            'u',
          ).exec(lower);
          // The longest phrase wins: "trailblazer pro" over "pro".
          if (match && (!best || phrase.length > best.length)) {
            best = { canonical, length: phrase.length, index: match.index };
          }
        }
      }
      return best ? { value: best.canonical, display: best.canonical } : null;
    }
    case 'email':
    case 'phone': {
      const type = entity.type === 'email' ? PiiType.Email : PiiType.Phone;
      const found = placeholdersIn(text).find((p) => p.type === type);
      // The original stays in the vault; the tool gets a reference it may open.
      return found
        ? { value: `vault://${context.messageId}/${found.placeholder}`, display: found.placeholder }
        : null; // display is replaced by a phrase ("the email address you gave") before replying
    }
    case 'amount':
    case 'number': {
      const match =
        /(?:\$|usd\s*|€|eur\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:dollars?|bucks|usd|euros?|€|\$)?/i.exec(
          text.replace(/ORD-?\d+/gi, ' ').replace(/\[[A-Z]+_\d+\]/g, ' '),
        );
      if (match) {
        const value = Number(`${match[1]!.replace(/,/g, '')}.${match[2] ?? '0'}`);
        return {
          value,
          display: entity.type === 'amount' ? value.toFixed(2).replace(/\.00$/, '') : String(value),
        };
      }
      const word =
        /\b(a|one|two|three|four|five|ten|twenty|fifty)\s+(hundred\s+)?(dollars|bucks)\b/i.exec(
          text,
        );
      if (!word) return null;
      const value = (WORD_NUMBERS[word[1]!.toLowerCase()] ?? 0) * (word[2] ? 100 : 1);
      return { value, display: String(value) };
    }
    case 'date':
    case 'time':
    case 'datetime': {
      const reference = {
        instant: context.now,
        timezone: offsetMinutes(context.timeZone, context.now),
      };
      const [found] = chrono.parse(text, reference, { forwardDate: true });
      if (!found) return null;
      const at = found.start.date();
      if (entity.type === 'date') {
        const value = isoInZone(at, context.timeZone).slice(0, 10);
        return { value, display: readable(at, context.timeZone, false) };
      }
      if (entity.type === 'time' || !found.start.isCertain('hour')) {
        if (entity.type === 'datetime') return null; // a day alone is not a time to call
        const value = isoInZone(at, context.timeZone).slice(11, 16);
        return { value, display: value };
      }
      return {
        value: isoInZone(at, context.timeZone),
        display: readable(at, context.timeZone, true),
      };
    }
    case 'text': {
      const trimmed = text.trim();
      return context.asked && trimmed.length >= 3 ? { value: trimmed, display: trimmed } : null;
    }
  }
}
