export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One measured load pattern against one configuration. */
export interface Run {
  name: string;
  /** serial: one message at a time; paced: open loop at `offered`/s; saturated: many connections. */
  kind: 'serial' | 'paced' | 'saturated';
  offered: number | null;
  achieved: number;
  errors: number;
  latency: LatencySummary;
  /** CPU milliseconds per message by process during the run (./cpu), with their `total`. */
  cpu?: Record<string, number>;
}

/** Percentiles (nearest rank) of latencies in milliseconds. */
export function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
