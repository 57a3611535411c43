import stem from 'wink-porter2-stemmer';

/** Lowercases, folds accents and drops punctuation; apostrophes join their word ("don't" → "dont"). */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a text, normalised. */
export function words(text: string): string[] {
  const normalized = normalize(text);
  return normalized === '' ? [] : normalized.split(' ');
}

// Stemming is the costliest step of classifying; customers reuse a small vocabulary. Bounded so
// a long-running process cannot grow it without limit.
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stem(word);
    if (stemCache.size < STEM_CACHE_LIMIT) stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Stemmed word n-grams of length 1..max ("cancelled my card" → "cancel", "cancel my", …). */
export function wordNgrams(text: string, max: number): string[] {
  const stems = words(text).map(stemWord);
  const out: string[] = [];
  for (let n = 1; n <= max; n++) {
    for (let i = 0; i + n <= stems.length; i++) out.push(stems.slice(i, i + n).join(' '));
  }
  return out;
}

/** Character n-grams of length min..max inside each word padded by a space, so typos still share most. */
export function charNgrams(text: string, min: number, max: number): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const padded = ` ${word} `;
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
    }
  }
  return out;
}
