/** mulberry32: a small seeded generator, so the same examples always give the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The numbers 0..n-1 in a seeded random order (Fisher–Yates). */
export function shuffled(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Assigns each label's items round-robin to `k` folds in a seeded order (stratified k-fold). */
export function stratifiedFolds(labels: readonly number[], k: number, seed: number): Int32Array {
  const fold = new Int32Array(labels.length);
  const seen = new Map<number, number>();
  for (const i of shuffled(labels.length, seed)) {
    const label = labels[i]!;
    const n = seen.get(label) ?? seen.size; // labels start on different folds
    fold[i] = n % k;
    seen.set(label, n + 1);
  }
  return fold;
}
