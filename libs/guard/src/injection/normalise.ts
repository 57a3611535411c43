import { foldAccents, LEET } from '../text/fold';

/** Invisible and bidi-control characters: used to split trigger words ("ig\u200Bnore"). */
export const INVISIBLE =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Cyrillic and Greek letters that look Latin, so "іgnоre" (Cyrillic і, о) reads as "ignore". */
const CONFUSABLE: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ѕ: 's',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ο: 'o',
  α: 'a',
  ε: 'e',
  ι: 'i',
  ν: 'v',
  κ: 'k',
  τ: 't',
  ρ: 'p',
};
const CONFUSABLE_CHAR = new RegExp(`[${Object.keys(CONFUSABLE).join('')}]`, 'gu');

/**
 * The form every rule reads: NFKC (full-width and ligature letters become ASCII), no invisible
 * characters, look-alike letters mapped to Latin, German umlauts spelt out ("ü" → "ue") and other
 * accents dropped ("é" → "e"), straight quotes, lower case. Latin-script text is then ASCII, so
 * rules can use JavaScript's fast ASCII `\b`. Newlines are kept: role markers count at line start.
 */
export function normaliseForMatching(text: string): string {
  const lower = text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(CONFUSABLE_CHAR, (c) => CONFUSABLE[c] ?? c);
  return foldAccents(lower)
    .replace(/[‘’‚‛′]/gu, "'")
    .replace(/[“”„‟″]/gu, '"');
}

/** "1gn0r3 4ll pr3v10us" → "ignore all previous": digits and symbols read as letters inside words. */
export function deleet(normalised: string): string {
  return normalised.replace(/\S+/gu, (token) =>
    /[a-z]/u.test(token) && /[013457@$]/u.test(token)
      ? token.replace(/[013457@$]/gu, (c) => LEET[c] ?? c)
      : token,
  );
}

/** A word split by invisible characters or mixing scripts: nobody types that by accident. */
export function looksObfuscated(text: string): boolean {
  if (/\p{L}[\u00AD\u200B-\u200D\u2060\uFEFF]+\p{L}/u.test(text)) return true;
  for (const [word] of text.matchAll(/\p{L}{3,}/gu)) {
    if (/\p{Script=Latin}/u.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(word)) {
      return true;
    }
  }
  return false;
}

/** "S a y t h a t": ten or more letters typed one by one, which only an evasion does. */
export function spacedOut(text: string): boolean {
  return /(?:^|\s)(?:\p{L}\s){9,}\p{L}(?=\s|$)/u.test(text);
}
