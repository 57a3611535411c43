/** A sparse feature vector: ascending feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const SMALL_TRAINING_SET = 200;

/** Turns a text into the n-grams one view of it is made of. */
export type Extractor = (text: string) => string[];

/**
 * Sublinear TF-IDF (1 + ln tf, smoothed idf) over the n-grams an extractor yields, L2-normalised so
 * long and short utterances weigh alike. The vocabulary and idf are learnt from training texts only.
 */
export class FeatureSpace {
  private constructor(
    private readonly extract: Extractor,
    private readonly vocabulary: Map<string, number>,
    private readonly idf: Float32Array,
    private readonly unseenIdf: number,
  ) {}

  /** N-grams found in fewer than `minDocFrequency` texts are dropped: they rarely generalise. */
  static fit(texts: readonly string[], extract: Extractor, minDocFrequency = 2): FeatureSpace {
    const docFrequency = new Map<string, number>();
    for (const text of texts) {
      for (const gram of new Set(extract(text))) {
        docFrequency.set(gram, (docFrequency.get(gram) ?? 0) + 1);
      }
    }
    // Small training sets keep every n-gram; sorted so feature order never depends on input order.
    const minDf = texts.length < SMALL_TRAINING_SET ? 1 : minDocFrequency;
    const kept = [...docFrequency]
      .filter(([, df]) => df >= minDf)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const vocabulary = new Map<string, number>();
    const idf = new Float32Array(kept.length);
    kept.forEach(([gram, df], index) => {
      vocabulary.set(gram, index);
      idf[index] = Math.log((1 + texts.length) / (1 + df)) + 1;
    });
    return new FeatureSpace(extract, vocabulary, idf, Math.log(1 + texts.length) + 1);
  }

  get size(): number {
    return this.idf.length;
  }

  vectorize(text: string): SparseVector {
    const counts = new Map<number, number>();
    const unknown = new Map<string, number>();
    for (const gram of this.extract(text)) {
      const index = this.vocabulary.get(gram);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
      else unknown.set(gram, (unknown.get(gram) ?? 0) + 1);
    }
    const indices = Int32Array.from(counts.keys()).sort();
    const values = new Float32Array(indices.length);
    let squared = 0;
    indices.forEach((index, i) => {
      const value = (1 + Math.log(counts.get(index)!)) * this.idf[index]!;
      values[i] = value;
      squared += value * value;
    });
    // Unseen n-grams count towards the length as the rarest seen ones would: a message made mostly
    // of words the model never saw gets a short vector, hence a flat, unconfident prediction.
    for (const count of unknown.values()) squared += ((1 + Math.log(count)) * this.unseenIdf) ** 2;
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    for (let i = 0; i < values.length; i++) values[i]! *= scale;
    return { indices, values };
  }
}
