import { join } from 'node:path';

import { IntentClassifier, OUT_OF_SCOPE, trainClassifier } from './classifier';
import { evaluate } from './evaluate';
import { readExamples } from './jsonl';

const DATASET = join(__dirname, '../../../datasets/clinc150');

describe(IntentClassifier.name, () => {
  it('learns 10 CLINC150 intents plus its oos rows and classifies their test rows', () => {
    const train = readExamples(join(DATASET, 'train.jsonl'));
    const intents = new Set(
      [...new Set(train.map((e) => e.intent))]
        .filter((i) => i !== OUT_OF_SCOPE)
        .sort()
        .slice(0, 10),
    );
    const keep = (intent: string) => intents.has(intent) || intent === OUT_OF_SCOPE;
    const classifier = trainClassifier(train.filter((e) => keep(e.intent)));
    const test = readExamples(join(DATASET, 'test.jsonl')).filter((e) => keep(e.intent));

    const result = evaluate(classifier, test);

    expect(classifier.intents).toHaveLength(10);
    // Measured 97.0% / 96.3% / 99.4%: with 10 intents few oos rows look like one of them.
    // 10 intents rather than 20 keeps this test near 6 s instead of 15 s on two cores.
    expect(result.intentAccuracy).toBeGreaterThan(0.92);
    expect(result.oosRecall).toBeGreaterThan(0.85);
    expect(result.oosPrecision).toBeGreaterThan(0.9);
  });
});
