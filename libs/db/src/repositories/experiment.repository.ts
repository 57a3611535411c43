import { randomUUID } from 'node:crypto';

import type { Database } from '../database';

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

export interface ExperimentRecord {
  id: string;
  assistantId: string;
  key: string;
  description: string | null;
  /** As stored; parse with @parley/experiments' parseArms before use. */
  arms: unknown;
  status: ExperimentStatus;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** Why a status change did not happen. */
export type TransitionResult =
  | { kind: 'done'; experiment: ExperimentRecord }
  | { kind: 'not_found' }
  | { kind: 'wrong_status'; status: ExperimentStatus }
  | { kind: 'another_running' };

/** What was measured in one arm (the shape of @parley/experiments' ArmCounts). */
export interface ArmCountsRow {
  arm: string;
  customers: number;
  conversations: number;
  contained: number;
  escalated: number;
  csat: { n: number; mean: number; variance: number };
  averageTurns: number | null;
  costPerConversationUsd: number | null;
  latencyP50Ms: number | null;
}

const select = {
  id: true,
  assistantId: true,
  key: true,
  description: true,
  arms: true,
  status: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
} as const;

const UNIQUE_VIOLATION = '23505';

/** Experiments of an assistant, who is in which arm, and what each arm's conversations did. */
export class ExperimentRepository {
  constructor(private readonly db: Database) {}

  /** Null when the assistant has an experiment with this key already. */
  async create(
    assistantId: string,
    input: { key: string; description?: string; arms: unknown },
  ): Promise<ExperimentRecord | null> {
    const rows = await this.db.rows<{ id: string }>(
      'experiments.create',
      `INSERT INTO experiments (id, assistant_id, key, description, arms, status)
       VALUES ($1::uuid, $2, $3, $4, $5::jsonb, 'draft')
       ON CONFLICT (assistant_id, key) DO NOTHING RETURNING id`,
      [randomUUID(), assistantId, input.key, input.description ?? null, JSON.stringify(input.arms)],
    );
    return rows[0] ? this.get(assistantId, rows[0].id) : null;
  }

  async list(assistantId: string): Promise<ExperimentRecord[]> {
    const rows = await this.db.prisma.experiment.findMany({
      where: { assistantId },
      orderBy: { createdAt: 'desc' },
      select,
    });
    return rows.map(typed);
  }

  /** `id` must be a UUID (the column's type). */
  async get(assistantId: string, id: string): Promise<ExperimentRecord | null> {
    const row = await this.db.prisma.experiment.findFirst({ where: { id, assistantId }, select });
    return row ? typed(row) : null;
  }

  /** The assistant's running experiment, if any (at most one: a partial unique index). */
  async running(assistantId: string): Promise<ExperimentRecord | null> {
    const row = await this.db.prisma.experiment.findFirst({
      where: { assistantId, status: 'running' },
      select,
    });
    return row ? typed(row) : null;
  }

  /** draft → running. started_at comes from the database clock, as conversations' created_at. */
  async start(assistantId: string, id: string): Promise<TransitionResult> {
    try {
      return await this.transition(
        'experiments.start',
        assistantId,
        id,
        'draft',
        `UPDATE experiments SET status = 'running', started_at = now()
         WHERE id = $1::uuid AND assistant_id = $2 AND status = 'draft'
           AND NOT EXISTS (SELECT 1 FROM experiments r WHERE r.assistant_id = $2 AND r.status = 'running')
         RETURNING id`,
      );
    } catch (error) {
      // Two starts at once: the partial unique index lets one through.
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION)
        return { kind: 'another_running' };
      throw error;
    }
  }

  /** running → stopped. Its conversations keep their arm; new ones get the assistant as configured. */
  async stop(assistantId: string, id: string): Promise<TransitionResult> {
    return this.transition(
      'experiments.stop',
      assistantId,
      id,
      'running',
      `UPDATE experiments SET status = 'stopped', ended_at = now()
       WHERE id = $1::uuid AND assistant_id = $2 AND status = 'running' RETURNING id`,
    );
  }

  /**
   * The arm serving this conversation. On its first turn under the experiment, a conversation
   * begun after the experiment started is tagged with the customer's arm, and the customer's
   * assignment is recorded if it is their first (insert, or keep the one there). A conversation
   * begun before the start, or tagged by another experiment, gets null: served as configured.
   * `arm` is the customer's arm by hash; a recorded assignment wins over it.
   */
  async assign(input: {
    assistantId: string;
    experimentId: string;
    conversationId: string;
    customerId: string;
    arm: string;
  }): Promise<string | null> {
    const rows = await this.db.rows<{ arm: string | null }>(
      'experiments.assign',
      `WITH conv AS (
         SELECT c.id, c.experiment_id, c.experiment_arm,
                c.created_at >= e.started_at AS eligible
         FROM conversations c JOIN experiments e ON e.id = $2::uuid AND e.assistant_id = $1
         WHERE c.id = $3::uuid AND c.assistant_id = $1 AND e.started_at IS NOT NULL),
       ins AS (
         INSERT INTO experiment_assignments (id, assistant_id, experiment_id, customer_id, arm)
         SELECT gen_random_uuid(), $1, $2::uuid, $4::uuid, $5 FROM conv
         WHERE conv.experiment_id IS NULL AND conv.eligible
         ON CONFLICT (experiment_id, customer_id) DO NOTHING
         RETURNING arm),
       chosen AS (
         SELECT coalesce(
           (SELECT arm FROM ins),
           (SELECT arm FROM experiment_assignments
            WHERE experiment_id = $2::uuid AND customer_id = $4::uuid),
           $5) AS arm),
       tagged AS (
         UPDATE conversations c SET experiment_id = $2::uuid, experiment_arm = chosen.arm
         FROM conv, chosen
         WHERE c.id = conv.id AND conv.experiment_id IS NULL AND conv.eligible
         RETURNING c.experiment_arm)
       SELECT coalesce(
         (SELECT experiment_arm FROM tagged),
         (SELECT experiment_arm FROM conv WHERE experiment_id = $2::uuid)) AS arm`,
      [input.assistantId, input.experimentId, input.conversationId, input.customerId, input.arm],
    );
    return rows[0]?.arm ?? null;
  }

  /** Per arm, in the order given: the conversations the arm served and their outcomes. */
  async armCounts(
    assistantId: string,
    experimentId: string,
    arms: readonly string[],
  ): Promise<ArmCountsRow[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<
      {
        arm: string;
        customers: number;
        conversations: number;
        contained: number;
        escalated: number;
        csat_n: number;
        csat_mean: number | null;
        csat_variance: number | null;
        average_turns: number | null;
        cost: number | null;
        latency_p50: number | null;
      }[]
    >(
      `WITH served AS (
         SELECT c.id, c.experiment_arm AS arm, c.csat, c.cost_usd, c.escalation_reason,
                EXISTS (SELECT 1 FROM handoff_tickets t WHERE t.conversation_id = c.id) AS ticketed,
                (SELECT count(*) FROM messages m
                 WHERE m.conversation_id = c.id AND m.role = 'user') AS turns
         FROM conversations c
         WHERE c.assistant_id = $1 AND c.experiment_id = $2::uuid)
       SELECT a.arm,
         (SELECT count(*) FROM experiment_assignments x
          WHERE x.experiment_id = $2::uuid AND x.arm = a.arm)::int AS customers,
         count(s.id)::int AS conversations,
         -- As on the dashboard (AnalyticsRepository): handed to a person when the engine
         -- escalated or a ticket was opened; contained otherwise.
         count(s.id) FILTER (WHERE NOT s.ticketed AND s.escalation_reason IS NULL)::int AS contained,
         count(s.id) FILTER (WHERE s.ticketed OR s.escalation_reason IS NOT NULL)::int AS escalated,
         count(s.csat)::int AS csat_n,
         avg(s.csat)::float8 AS csat_mean,
         var_samp(s.csat)::float8 AS csat_variance,
         avg(s.turns)::float8 AS average_turns,
         avg(s.cost_usd)::float8 AS cost,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m.latency_ms)
          FROM messages m JOIN served s2 ON s2.id = m.conversation_id
          WHERE s2.arm = a.arm AND m.role = 'user' AND m.latency_ms IS NOT NULL)::float8 AS latency_p50
       FROM unnest($3::text[]) WITH ORDINALITY AS a(arm, ord)
       LEFT JOIN served s ON s.arm = a.arm
       GROUP BY a.arm, a.ord
       ORDER BY a.ord`,
      assistantId,
      experimentId,
      [...arms],
    );
    return rows.map((r) => ({
      arm: r.arm,
      customers: r.customers,
      conversations: r.conversations,
      contained: r.contained,
      escalated: r.escalated,
      csat: { n: r.csat_n, mean: r.csat_mean ?? 0, variance: r.csat_variance ?? 0 },
      averageTurns: r.average_turns,
      costPerConversationUsd: r.cost,
      latencyP50Ms: r.latency_p50,
    }));
  }

  private async transition(
    name: string,
    assistantId: string,
    id: string,
    from: ExperimentStatus,
    sql: string,
  ): Promise<TransitionResult> {
    const updated = await this.db.rows<{ id: string }>(name, sql, [id, assistantId]);
    const experiment = await this.get(assistantId, id);
    if (!experiment) return { kind: 'not_found' };
    if (updated.length > 0) return { kind: 'done', experiment };
    if (experiment.status !== from) return { kind: 'wrong_status', status: experiment.status };
    return { kind: 'another_running' };
  }
}

function typed<R extends { status: string }>(row: R): R & { status: ExperimentStatus } {
  return { ...row, status: row.status as ExperimentStatus };
}
