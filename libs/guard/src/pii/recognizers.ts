import { isIPv4, isIPv6 } from 'node:net';

import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

/** The kinds of personal data the input guard finds. */
export enum PiiType {
  CreditCard = 'CARD',
  UsSsn = 'SSN',
  Email = 'EMAIL',
  Phone = 'PHONE',
  Iban = 'IBAN',
  IpAddress = 'IP',
}

export interface PiiSpan {
  type: PiiType;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  value: string;
}

export interface RecognizerOptions {
  /** Regions whose national phone formats are recognised, most likely first; `+` numbers always are. */
  phoneRegions: readonly CountryCode[];
}

type Recognizer = (text: string, options: RecognizerOptions) => PiiSpan[];

function* matches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const re = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield m;
    if (m[0].length === 0) re.lastIndex += 1;
  }
}

const span = (type: PiiType, text: string, start: number, end: number): PiiSpan => ({
  type,
  start,
  end,
  value: text.slice(start, end),
});

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** 12–19 digits, optionally grouped by single spaces or dashes, passing the Luhn check. */
const creditCards: Recognizer = (text) => {
  const found: PiiSpan[] = [];
  for (const m of matches(/(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])/, text)) {
    const digits = m[0].replace(/\D/g, '');
    // One separator style per number: "4012-8888 8888-1881" is more likely two things.
    const separators = new Set(m[0].replace(/\d/g, ''));
    if (separators.size <= 1 && luhnValid(digits) && !/^(\d)\1+$/.test(digits)) {
      found.push(span(PiiType.CreditCard, text, m.index, m.index + m[0].length));
    }
  }
  return found;
};

/** Numbers the SSA never issued or that are famous specimens. */
const INVALID_SSNS = new Set(['078051120', '219099999', '123456789', '457555462']);

/** AAA-GG-SSSS with one separator style (or none), excluding never-issued areas, groups, serials. */
const usSsns: Recognizer = (text) => {
  const found: PiiSpan[] = [];
  for (const m of matches(/(?<![\w.-])(\d{3})([- .]?)(\d{2})([- .]?)(\d{4})(?![\w-]|\.\d)/, text)) {
    const [, area = '', sep1, group = '', sep2, serial = ''] = m;
    if (sep1 && sep2 && sep1 !== sep2) continue;
    if (area === '000' || area === '666' || area.startsWith('9')) continue;
    if (group === '00' || serial === '0000' || INVALID_SSNS.has(area + group + serial)) continue;
    found.push(span(PiiType.UsSsn, text, m.index, m.index + m[0].length));
  }
  return found;
};

/** Pragmatic RFC 5322 subset: dotted local part, a dotted domain with a 2+ letter (or xn--) TLD. */
const emails: Recognizer = (text) =>
  [
    ...matches(
      /(?<![\w.+-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[a-z\d](?:[a-z\d-]*[a-z\d])?\.)+(?:[a-z]{2,63}|xn--[a-z\d-]{2,59})(?![\w-])/i,
      text,
    ),
  ].map((m) => span(PiiType.Email, text, m.index, m.index + m[0].length));

/** Dates and short reference numbers are valid phone numbers somewhere; a customer means dates. */
const DATE_SHAPED = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const MIN_NATIONAL_DIGITS = 8;

/** libphonenumber's validity rules (full metadata), tried for each configured region. */
const phones: Recognizer = (text, options) => {
  const found: PiiSpan[] = [];
  for (const region of options.phoneRegions) {
    for (const number of findPhoneNumbersInText(text, { defaultCountry: region })) {
      const raw = text.slice(number.startsAt, number.endsAt);
      const international = raw.trimStart().startsWith('+');
      if (DATE_SHAPED.test(raw.trim())) continue;
      if (!international && raw.replace(/\D/g, '').length < MIN_NATIONAL_DIGITS) continue;
      if (!found.some((f) => f.start < number.endsAt && number.startsAt < f.end)) {
        found.push(span(PiiType.Phone, text, number.startsAt, number.endsAt));
      }
    }
  }
  return found;
};

/**
 * Country code, check digits and 11–30 characters, in groups separated by spaces or dashes (one
 * style), validated by the ISO 13616 checksum and the country's length and format.
 */
const ibans: Recognizer = (text) => {
  const found: PiiSpan[] = [];
  for (const m of matches(/(?<![\w/])[A-Z]{2}\d{2}(?:[ -]?[A-Z\d]){11,30}(?![\w/])/i, text)) {
    const separators = new Set(m[0].replace(/[A-Z\d]/gi, ''));
    if (separators.size > 1) continue;
    // The greedy match may have swallowed a following word ("... 8741 X"): shorten group by group.
    let candidate = m[0];
    for (;;) {
      const electronic = electronicFormatIBAN(candidate) ?? '';
      if (isValidIBAN(electronic)) {
        found.push(span(PiiType.Iban, text, m.index, m.index + candidate.length));
        break;
      }
      const shorter = candidate.replace(/[ -][A-Z\d]+$/i, '');
      if (shorter === candidate) break;
      candidate = shorter;
    }
  }
  return found;
};

/**
 * Runs of address characters, accepted whole (a trailing full stop aside) when `node:net` says
 * they are an address: cutting inside a run would turn "::ffff:256.0.0.1" into "::ffff:256".
 */
const ipAddresses: Recognizer = (text) => {
  const found: PiiSpan[] = [];
  const candidates = /(?<![\w:.])[\da-f:.]*[:.][\da-f:.]*(?:%\w+)?(?:\/\d+)?/gi;
  for (const m of matches(candidates, text)) {
    // The address must not run into a word: "192.168.1.1text" is not one.
    const next = text[m.index + m[0].length];
    if (next && /\w/.test(next)) continue;
    const [withZone = '', prefix] = m[0].split('/');
    for (const address of [withZone, withZone.replace(/\.+$/, '')]) {
      const bare = address.replace(/%\w+$/, '');
      const version = isIPv4(bare) ? 4 : isIPv6(bare) ? 6 : 0;
      if (version === 0) continue;
      const prefixValid =
        prefix !== undefined &&
        address === withZone &&
        Number(prefix) <= (version === 4 ? 32 : 128);
      const length = address.length + (prefixValid ? prefix.length + 1 : 0);
      found.push(span(PiiType.IpAddress, text, m.index, m.index + length));
      break;
    }
  }
  return found;
};

/** In priority order: when spans overlap, the earlier recognizer's (stricter checksum) wins. */
export const RECOGNIZERS: ReadonlyArray<[PiiType, Recognizer]> = [
  [PiiType.CreditCard, creditCards],
  [PiiType.Iban, ibans],
  [PiiType.Email, emails],
  [PiiType.UsSsn, usSsns],
  [PiiType.IpAddress, ipAddresses],
  [PiiType.Phone, phones],
];
