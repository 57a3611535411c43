import { seededRandom } from './random';
import { words } from './text';

/**
 * The examples plus `copies` variants of each with one random word left out (for utterances of
 * three words or more). Teaches the model not to lean on any single word, as paraphrases drop or
 * change words the examples had.
 */
export function withWordDropout(
  texts: readonly string[],
  labels: readonly number[],
  copies: number,
  seed: number,
): { texts: string[]; labels: number[] } {
  const random = seededRandom(seed);
  const out = { texts: [...texts], labels: [...labels] };
  for (let copy = 0; copy < copies; copy++) {
    texts.forEach((text, i) => {
      const tokens = words(text);
      if (tokens.length < 3) return;
      const dropped = Math.floor(random() * tokens.length);
      out.texts.push(tokens.filter((_, t) => t !== dropped).join(' '));
      out.labels.push(labels[i]!);
    });
  }
  return out;
}
