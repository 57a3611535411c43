import { armFor, assignmentPoint } from './assignment';

const EXPERIMENT = '0b6f8c1e-6a43-4a39-9a53-3c2f0b1f4d10';
const customers = Array.from({ length: 10_000 }, (_, i) => `customer-${i}`);

describe(armFor.name, () => {
  const arms = [
    { name: 'control', weight: 1 },
    { name: 'friendly', weight: 2 },
    { name: 'gpt', weight: 1 },
  ];

  it('puts a customer in the same arm every time, whatever the order of the calls', () => {
    const first = customers.map((c) => armFor(EXPERIMENT, c, arms).name);
    const again = [...customers]
      .reverse()
      .map((c) => armFor(EXPERIMENT, c, arms).name)
      .reverse();
    expect(again).toEqual(first);
  });

  it('splits customers by weight within four and a half binomial standard deviations', () => {
    const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
    const counts = new Map(arms.map((arm) => [arm.name, 0]));
    for (const c of customers) {
      const arm = armFor(EXPERIMENT, c, arms).name;
      counts.set(arm, counts.get(arm)! + 1);
    }
    const n = customers.length;
    for (const arm of arms) {
      const p = arm.weight / total;
      // Under a uniform hash each count is Binomial(n, p); 4.5 σ is missed by chance ~7 in a million.
      const tolerance = 4.5 * Math.sqrt(n * p * (1 - p));
      expect(Math.abs(counts.get(arm.name)! - n * p)).toBeLessThan(tolerance);
    }
  });

  it('assigns independently in another experiment', () => {
    const two = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ];
    const here = customers.map((c) => armFor(EXPERIMENT, c, two).name);
    const there = customers.map((c) => armFor('another-experiment', c, two).name);
    const same = here.filter((arm, i) => arm === there[i]).length;
    // Independent halves agree for Binomial(n, 1/2) customers: n/2 ± 4.5 σ (σ = √n / 2).
    expect(Math.abs(same - customers.length / 2)).toBeLessThan(
      4.5 * (Math.sqrt(customers.length) / 2),
    );
  });

  it('keeps every point in [0, 1) and refuses an experiment without arms', () => {
    for (const c of customers.slice(0, 1000)) {
      const point = assignmentPoint(EXPERIMENT, c);
      expect(point).toBeGreaterThanOrEqual(0);
      expect(point).toBeLessThan(1);
    }
    expect(() => armFor(EXPERIMENT, 'x', [])).toThrow();
  });
});
