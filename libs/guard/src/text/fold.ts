/** Digits and symbols that stand for letters in "1gn0r3" or "sh1t". */
export const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

const UMLAUT: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * Latin text in the form word lists and rules are written in: German umlauts spelt out
 * ("ü" → "ue"), every other accent dropped ("é" → "e"). Expects lower case.
 */
export function foldAccents(lower: string): string {
  return lower
    .replace(/[äöüß]/gu, (c) => UMLAUT[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}
