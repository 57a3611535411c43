import { withWordDropout } from './augment';
import { type Extractor, FeatureSpace } from './features';
import { defaultSoftmaxOptions, SoftmaxModel } from './softmax';
import { charNgrams, wordNgrams } from './text';

/**
 * Two views of an utterance, each with its own model: stemmed word uni- and bigrams (meaning,
 * word order) and character 2–5-grams within words (spelling variants, typos, rare words).
 * Two models combined beat one model over both feature sets on CLINC150's validation split.
 */
const VIEWS: readonly Extractor[] = [
  (text) => wordNgrams(text, 2),
  (text) => charNgrams(text, 2, 5),
];

// Five copies raised CLINC150 validation accuracy from 93.1% to 93.5–94.0% (it varies by seed).
const DROPOUT_COPIES = 5;

/** Class probabilities combined over one softmax model per view. */
export class ViewEnsemble {
  private constructor(
    readonly classes: number,
    private readonly members: readonly { space: FeatureSpace; model: SoftmaxModel }[],
  ) {}

  static train(
    texts: readonly string[],
    labels: readonly number[],
    classes: number,
    seed: number,
  ): ViewEnsemble {
    const augmented = withWordDropout(texts, labels, DROPOUT_COPIES, seed);
    const options = { ...defaultSoftmaxOptions, seed };
    const members = VIEWS.map((extract) => {
      // Vocabulary and idf come from the real utterances; the variants only add training steps.
      const space = FeatureSpace.fit(texts, extract);
      const vectors = augmented.texts.map((text) => space.vectorize(text));
      const model = SoftmaxModel.train(vectors, augmented.labels, space.size, classes, options);
      return { space, model };
    });
    return new ViewEnsemble(classes, members);
  }

  /** The normalised geometric mean of the views' probabilities: a class needs every view's support. */
  probabilities(text: string): Float64Array {
    const combined = new Float64Array(this.classes);
    const scratch = new Float64Array(this.classes);
    for (const { space, model } of this.members) {
      model.probabilities(space.vectorize(text), scratch);
      // Clamped so a probability that underflowed to 0 cannot make every class -Infinity.
      for (let c = 0; c < this.classes; c++)
        combined[c]! += Math.log(Math.max(scratch[c]!, 1e-300));
    }
    let max = -Infinity;
    for (let c = 0; c < this.classes; c++) max = Math.max(max, combined[c]!);
    let sum = 0;
    for (let c = 0; c < this.classes; c++) {
      sum += combined[c] = Math.exp((combined[c]! - max) / this.members.length);
    }
    for (let c = 0; c < this.classes; c++) combined[c]! /= sum;
    return combined;
  }
}
