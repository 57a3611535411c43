import { Counter, Histogram, type Registry } from 'prom-client';

export type Stage = 'queue' | 'context' | 'respond' | 'persist' | 'dispatch';

/** Prometheus view of turns: per-stage and total latency, and outcomes. */
export class TurnMetrics {
  readonly stage: Histogram<'stage'>;
  readonly total: Histogram<'engine'>;
  readonly outcomes: Counter<'outcome'>;
  readonly modelTokens: Counter<'direction'>;
  readonly modelCost: Counter;
  readonly guards: Counter<'guard'>;

  constructor(registry: Registry) {
    const buckets = [
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];
    this.stage = new Histogram({
      name: 'parley_turn_stage_seconds',
      help: 'Time spent in each stage of a turn',
      labelNames: ['stage'],
      buckets,
      registers: [registry],
    });
    this.total = new Histogram({
      name: 'parley_turn_seconds',
      help: 'From the customer message being accepted to its replies being committed',
      labelNames: ['engine'],
      buckets,
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'parley_turns_total',
      help: 'Turns by outcome (committed, already_done, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.modelTokens = new Counter({
      name: 'parley_llm_tokens_total',
      help: 'Tokens models read (in) and wrote (out) for turns',
      labelNames: ['direction'],
      registers: [registry],
    });
    this.modelCost = new Counter({
      name: 'parley_llm_cost_usd_total',
      help: 'What models cost for turns, in USD (priced models only)',
      registers: [registry],
    });
    this.guards = new Counter({
      name: 'parley_guard_triggers_total',
      help: 'Messages an input guard fired on (injection, sensitive_data, frustration, abuse, unsupported_language)',
      labelNames: ['guard'],
      registers: [registry],
    });
  }
}
