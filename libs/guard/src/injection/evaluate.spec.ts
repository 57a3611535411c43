import { evaluateInjection, formatInjectionEvaluation } from './evaluate';

describe(evaluateInjection.name, () => {
  const sets = {
    attacks: ['attack one', 'attack two', 'harmless'],
    benign: ['attack in a benign set', 'fine'],
    customer: ['where is my order'],
  };
  const detect = (text: string) => ({
    detected: text.includes('attack'),
    score: text.includes('attack') ? 1 : 0,
    signals: [],
  });

  it('counts detections on attacks and false positives on the benign sets', () => {
    const report = evaluateInjection(sets, detect);

    expect(report.attacks).toEqual({ total: 3, flagged: 2, rate: 2 / 3 });
    expect(report.benign).toEqual({ total: 2, flagged: 1, rate: 0.5 });
    expect(report.customer).toEqual({ total: 1, flagged: 0, rate: 0 });
  });

  it('reports latency percentiles in order', () => {
    const { p50, p99, max } = evaluateInjection(sets, detect).latencyMs;

    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(max).toBeGreaterThanOrEqual(p99);
  });

  it('reports a rate of 0 for an empty set', () => {
    expect(evaluateInjection({ attacks: [], benign: [], customer: [] }, detect).attacks.rate).toBe(
      0,
    );
  });

  it('formats one line per figure', () => {
    const text = formatInjectionEvaluation(evaluateInjection(sets, detect));

    expect(text).toMatch(/attacks detected\s+2\/3\s+66\.7%/);
    expect(text.split('\n')).toHaveLength(4);
  });
});
