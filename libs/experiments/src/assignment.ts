import { createHash } from 'node:crypto';

/** 2^48: the hash's first six bytes read as an integer are uniform below this. */
const SPACE = 2 ** 48;

/**
 * A point in [0, 1) that depends only on the experiment and the customer: the same on every
 * replica, every channel and every restart, and unrelated between two experiments.
 */
export function assignmentPoint(experimentId: string, customerId: string): number {
  const digest = createHash('sha256').update(`${experimentId}\0${customerId}`).digest();
  return digest.readUIntBE(0, 6) / SPACE;
}

/**
 * The arm a customer belongs to: the point falls into one of the arms' weight buckets, laid
 * side by side in the arms' order. Arms and weights are fixed once the experiment runs.
 */
export function armFor<A extends { name: string; weight: number }>(
  experimentId: string,
  customerId: string,
  arms: readonly A[],
): A {
  if (arms.length === 0) throw new Error('an experiment without arms assigns no one');
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  let bucket = assignmentPoint(experimentId, customerId) * total;
  for (const arm of arms) {
    if (bucket < arm.weight) return arm;
    bucket -= arm.weight;
  }
  // Floating point may leave the last sliver unassigned: it is the last arm's.
  return arms[arms.length - 1]!;
}
