import type { Redis } from 'ioredis';

import type { BudgetScope, BudgetTurn, ModelBudget, ResponseCache } from '@parley/engine';
import { queuePrefix } from '@parley/queue';

export interface BudgetLimits {
  /** 0: no limit, as for each of these. */
  conversationTokens: number;
  customerDailyTokens: number;
  assistantDailyUsd: number;
}

/** Daily counters outlive their day by one, for whoever looks at yesterday's spend. */
const COUNTER_TTL_S = 2 * 86_400;

/**
 * Budgets on Redis counters per UTC day: tokens per customer, USD per assistant. The conversation's
 * own spend comes from Postgres with the turn's context. Counters are kept under the queue
 * prefix's hash tag, so one MGET reads both on a Redis Cluster too.
 */
export class RedisModelBudget implements ModelBudget {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly limits: BudgetLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.prefix = `${queuePrefix(prefix)}:llm-budget`;
  }

  async exceeded(turn: BudgetTurn): Promise<BudgetScope | null> {
    const { conversationTokens, customerDailyTokens, assistantDailyUsd } = this.limits;
    if (conversationTokens && turn.conversationTokens >= conversationTokens) return 'conversation';
    if (!customerDailyTokens && !assistantDailyUsd) return null;
    const [customer, assistant] = await this.redis.mget(...this.keys(turn));
    if (customerDailyTokens && Number(customer ?? 0) >= customerDailyTokens) return 'customer';
    if (assistantDailyUsd && Number(assistant ?? 0) >= assistantDailyUsd) return 'assistant';
    return null;
  }

  async charge(turn: BudgetTurn, usage: { tokens: number; costUsd: number | null }): Promise<void> {
    const [customerKey, assistantKey] = this.keys(turn);
    const batch = this.redis.multi();
    batch.incrby(customerKey, usage.tokens).expire(customerKey, COUNTER_TTL_S);
    if (usage.costUsd) {
      batch.incrbyfloat(assistantKey, usage.costUsd).expire(assistantKey, COUNTER_TTL_S);
    }
    await batch.exec();
  }

  private keys(turn: BudgetTurn): [customer: string, assistant: string] {
    const day = this.now().toISOString().slice(0, 10);
    return [
      `${this.prefix}:${turn.assistantId}:customer:${turn.customerId}:${day}`,
      `${this.prefix}:${turn.assistantId}:usd:${day}`,
    ];
  }
}

/** Cached model answers, each kept `ttlSeconds`; keys already name the knowledge version. */
export class RedisResponseCache implements ResponseCache {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly ttlSeconds: number,
  ) {
    this.prefix = `${queuePrefix(prefix)}:llm-cache`;
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(`${this.prefix}:${key}`);
  }

  async set(key: string, text: string): Promise<void> {
    await this.redis.set(`${this.prefix}:${key}`, text, 'EX', this.ttlSeconds);
  }
}
