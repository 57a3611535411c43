/** The best in-scope class of a probability vector, skipping the out-of-scope class if modelled. */
export function bestInScope(
  probabilities: Float64Array,
  oosIndex: number | undefined,
): { index: number; probability: number } {
  let index = -1;
  let probability = -1;
  for (let c = 0; c < probabilities.length; c++) {
    if (c !== oosIndex && probabilities[c]! > probability) {
      index = c;
      probability = probabilities[c]!;
    }
  }
  return { index, probability };
}

/** Out of scope when the oos class outweighs every intent, or the best intent is below threshold. */
export function isOutOfScope(
  probabilities: Float64Array,
  oosIndex: number | undefined,
  threshold: number,
): boolean {
  const best = bestInScope(probabilities, oosIndex);
  const oos = oosIndex === undefined ? 0 : probabilities[oosIndex]!;
  return oos >= best.probability || best.probability < threshold;
}

/** The `k` most probable in-scope classes, most probable first (ties: lower index first). */
export function topClasses(
  probabilities: Float64Array,
  oosIndex: number | undefined,
  k: number,
): number[] {
  const top: number[] = [];
  for (let c = 0; c < probabilities.length; c++) {
    if (c === oosIndex) continue;
    const p = probabilities[c]!;
    if (top.length === k && p <= probabilities[top[k - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && p > probabilities[top[at - 1]!]!) at--;
    top.splice(at, 0, c);
    if (top.length > k) top.pop();
  }
  return top;
}
