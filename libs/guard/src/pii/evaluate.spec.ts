import path from 'node:path';

import { PATHS } from '@parley/config';

import { evaluatePii } from './evaluate';
import { PiiType } from './recognizers';

describe(evaluatePii.name, () => {
  // A floor, not the figure: the README reports the measured precision and recall per type.
  it('finds most of Presidio’s positive cases for every type it masks, with few false alarms', () => {
    const { scores } = evaluatePii(path.join(PATHS.datasets, 'pii/presidio_cases.jsonl'));
    expect(scores.map((s) => s.type).sort()).toEqual(Object.values(PiiType).sort());
    for (const score of scores) {
      expect({ type: score.type, recall: score.recall > 0.8 }).toEqual({
        type: score.type,
        recall: true,
      });
      expect({ type: score.type, precision: score.precision > 0.8 }).toEqual({
        type: score.type,
        precision: true,
      });
    }
  });
});
