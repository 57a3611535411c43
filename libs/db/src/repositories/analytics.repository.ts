import type { Database } from '../database';

/**
 * What the dashboard looks at: one assistant's conversations that started from `from` to `to`
 * (UTC calendar days, both included), on one channel or all. Every figure is about those
 * conversations, whatever day their later messages came (so a day's numbers do not move when a
 * conversation started that day goes on the next).
 */
export interface AnalyticsFilter {
  assistantId: string;
  /** YYYY-MM-DD, UTC. */
  from: string;
  /** YYYY-MM-DD, UTC, included. */
  to: string;
  channel?: string;
}

/** A flow of the assistant's files, as far as the data needs it (see `flows` below). */
export interface FlowRef {
  name: string;
  /** The intent that starts it. */
  trigger: string;
  /** The one tool it ends by calling. */
  tool: string;
}

/**
 * The headline figures of a set of conversations.
 *
 * - `escalated`: conversations handed to a person: the engine escalated (escalation_reason) or a
 *   hand-over ticket was opened for it (the console, Slack or a help desk).
 * - `containmentRate`: share of conversations never handed to a person (1 − escalationRate);
 *   one still open with the bot counts as contained so far.
 * - `csatAverage`: mean of the 1–5 ratings customers gave after a person's help (conversations.csat);
 *   `csatCount` is how many rated.
 * - `averageTurns`: customer messages per conversation (all of them, also those an agent answered).
 * - `latencyP50Ms`, `latencyP95Ms`: percentiles (percentile_cont) of the bot's reply latency: from a
 *   customer message being accepted to the bot's reply being committed (messages.latency_ms), over
 *   the customer messages the bot answered (a message a person had is not a bot reply).
 * - `costPerConversationUsd`: priced model spend (conversations.cost_usd) divided by conversations;
 *   0 with the built-in engine, which costs nothing.
 */
export interface AnalyticsFigures {
  conversations: number;
  escalated: number;
  containmentRate: number | null;
  escalationRate: number | null;
  csatAverage: number | null;
  csatCount: number;
  averageTurns: number | null;
  /** Bot replies the latency percentiles are over. */
  replies: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  costUsd: number;
  costPerConversationUsd: number | null;
}

export type EscalationCategory =
  'customer_request' | 'failed_attempts' | 'frustration' | 'abuse' | 'policy' | 'tool' | 'other';

/**
 * Completion of one flow.
 *
 * - `started`: conversations in which a customer message started or continued the flow: its intent
 *   is the flow's trigger, or `flow.<name>` / `flow.<name>.correction` (the engine's record of an
 *   answer to one of the flow's questions). A trigger refused before the first question (sign-in
 *   required) counts as started and not completed: the customer did not get the task done.
 * - `completed`: of those, conversations where the flow's tool ran to a result (tool_calls status
 *   `finished`; `failed` and `refused` calls are not completions). Any result counts, including a
 *   business answer such as "order not found": the task ran to its end.
 * - `escalated`: of those, conversations the engine handed over because of this flow (reasons
 *   `failed attempts: <flow> …`, `policy: <flow> …`, `tool: <flow> …`).
 * - The rest were abandoned or declined.
 */
export interface FlowCompletion {
  flow: string;
  started: number;
  completed: number;
  escalated: number;
  completionRate: number | null;
}

/**
 * A place customers get stuck: customer messages the engine did not understand (intent `oos`, its
 * fallback), grouped by what came just before: the intent of the customer's previous message
 * (null: it was their first) and the bot's last message before it (its first 160 characters).
 */
export interface FallbackHotspot {
  afterIntent: string | null;
  afterPrompt: string | null;
  count: number;
}

export interface AnalyticsReport {
  filter: { from: string; to: string; channel: string | null };
  totals: AnalyticsFigures;
  /** Every day of the range, oldest first, zeros included. */
  byDay: (AnalyticsFigures & { day: string })[];
  /** Channels with conversations in the range, busiest first. */
  byChannel: (AnalyticsFigures & { channel: string })[];
  /** Escalated conversations by kind of reason (the categories of the hand-over metrics). */
  escalationReasons: { category: EscalationCategory; count: number }[];
  /** The most frequent reasons as written. */
  topEscalationReasons: { reason: string; count: number }[];
  /** Ratings 1–5, each with how many conversations got it. */
  csatDistribution: { rating: number; count: number }[];
  /** Customer messages by the intent the engine recorded, most frequent first (top 10). */
  topIntents: { intent: string; count: number; share: number }[];
  /** Customer messages the engine did not understand, and their share of the bot's turns. */
  fallbacks: { count: number; rate: number | null };
  fallbackHotspots: FallbackHotspot[];
  flows: FlowCompletion[];
}

/** The engine's intent for a message it did not understand (OUT_OF_SCOPE in @parley/nlu). */
export const FALLBACK_INTENT = 'oos';
/** Intents the turn runner records for messages the bot did not answer (a person had them). */
const SILENT_PREFIX = 'silent.';
const TOP = 10;

/**
 * The conversations of the filter, one row each with what the figures need. $1 assistant,
 * $2 from, $3 to (dates), $4 channel or null. Timestamps are stored as UTC.
 */
const CONVERSATIONS = `conv AS (
  SELECT c.id, c.channel, c.created_at::date AS day, c.csat, c.cost_usd, c.escalation_reason,
    (c.escalation_reason IS NOT NULL OR EXISTS (
       SELECT 1 FROM handoff_tickets t
       WHERE t.conversation_id = c.id AND t.assistant_id = c.assistant_id)) AS escalated,
    (SELECT count(*) FROM messages m
     WHERE m.conversation_id = c.id AND m.role = 'user'::"MessageRole") AS turns
  FROM conversations c
  WHERE c.assistant_id = $1 AND c.created_at >= $2::date AND c.created_at < $3::date + 1
    AND ($4::text IS NULL OR c.channel = $4::text))`;

/** Customer messages of those conversations. */
const CUSTOMER_MESSAGES = `SELECT m.id, m.conversation_id, m.seq, m.intent, m.latency_ms, conv.day, conv.channel
  FROM conv JOIN messages m ON m.conversation_id = conv.id
  WHERE m.assistant_id = $1 AND m.role = 'user'::"MessageRole"`;

/** Same categories as reasonCategory() in @parley/handoff, so the dashboard and /metrics agree. */
const REASON_CATEGORY = `CASE
    WHEN reason ~* '^frustration\\M' THEN 'frustration'
    WHEN reason ~* '^abuse\\M' THEN 'abuse'
    WHEN reason ~* '^policy:' THEN 'policy'
    WHEN reason ~* '^tool:' THEN 'tool'
    WHEN reason ~* '^failed attempts:' THEN 'failed_attempts'
    WHEN reason ~* 'asked for a person' THEN 'customer_request'
    ELSE 'other' END`;

interface FiguresRow {
  g: number;
  day: string | null;
  channel: string | null;
  conversations: number;
  escalated: number;
  csat_average: number | null;
  csat_count: number;
  average_turns: number | null;
  cost_usd: number;
  replies: number | null;
  p50: number | null;
  p95: number | null;
}

/**
 * The support console's analytics: aggregates computed in Postgres, one assistant at a time.
 * Definitions are on the result types; docs/console.md has them for readers of the dashboard.
 */
export class AnalyticsRepository {
  constructor(private readonly db: Database) {}

  /** Every figure of the dashboard; `flows` are the assistant's flows (empty: none known). */
  async report(filter: AnalyticsFilter, flows: FlowRef[] = []): Promise<AnalyticsReport> {
    const params = [filter.assistantId, filter.from, filter.to, filter.channel ?? null];
    const [figures, reasons, topReasons, csat, intents, fallbacks, hotspots, flowRows] =
      await Promise.all([
        this.figures(params),
        this.db.rows<{ category: EscalationCategory; count: number }>(
          'analytics.escalation-categories',
          `WITH ${CONVERSATIONS},
           reasons AS (
             SELECT coalesce(conv.escalation_reason,
                      (SELECT t.reason FROM handoff_tickets t WHERE t.conversation_id = conv.id
                       ORDER BY t.created_at LIMIT 1), 'handed over') AS reason
             FROM conv WHERE conv.escalated)
           SELECT ${REASON_CATEGORY} AS category, count(*)::int AS count
           FROM reasons GROUP BY 1 ORDER BY 2 DESC, 1`,
          params,
        ),
        this.db.rows<{ reason: string; count: number }>(
          'analytics.escalation-reasons',
          `WITH ${CONVERSATIONS}
           SELECT conv.escalation_reason AS reason, count(*)::int AS count
           FROM conv WHERE conv.escalation_reason IS NOT NULL
           GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`,
          params,
        ),
        this.db.rows<{ rating: number; count: number }>(
          'analytics.csat',
          `WITH ${CONVERSATIONS}
           SELECT r.rating::int AS rating, count(conv.id)::int AS count
           FROM generate_series(1, 5) AS r(rating) LEFT JOIN conv ON conv.csat = r.rating
           GROUP BY r.rating ORDER BY r.rating`,
          params,
        ),
        this.db.rows<{ intent: string; count: number; total: number }>(
          'analytics.intents',
          `WITH ${CONVERSATIONS}, turns AS (${CUSTOMER_MESSAGES}
             AND m.intent IS NOT NULL AND NOT starts_with(m.intent, '${SILENT_PREFIX}'))
           SELECT intent, count(*)::int AS count, (SELECT count(*) FROM turns)::int AS total
           FROM turns GROUP BY intent ORDER BY 2 DESC, 1 LIMIT ${TOP}`,
          params,
        ),
        this.db.rows<{ fallbacks: number; answered: number }>(
          'analytics.fallbacks',
          `WITH ${CONVERSATIONS}, turns AS (${CUSTOMER_MESSAGES}
             AND m.intent IS NOT NULL AND NOT starts_with(m.intent, '${SILENT_PREFIX}'))
           SELECT count(*) FILTER (WHERE intent = $5)::int AS fallbacks, count(*)::int AS answered
           FROM turns`,
          [...params, FALLBACK_INTENT],
        ),
        this.db.rows<{ after_intent: string | null; after_prompt: string | null; count: number }>(
          'analytics.fallback-hotspots',
          `WITH ${CONVERSATIONS}, turns AS (
             SELECT t.*, lag(t.intent) OVER (PARTITION BY t.conversation_id ORDER BY t.seq)
                    AS after_intent
             FROM (${CUSTOMER_MESSAGES}) t)
           SELECT turns.after_intent,
             (SELECT left(b.text, 160) FROM messages b
              WHERE b.conversation_id = turns.conversation_id AND b.seq < turns.seq
                AND b.role = 'assistant'::"MessageRole"
              ORDER BY b.seq DESC LIMIT 1) AS after_prompt,
             count(*)::int AS count
           FROM turns WHERE turns.intent = $5
           GROUP BY 1, 2 ORDER BY 3 DESC, 1 NULLS FIRST, 2 NULLS FIRST LIMIT ${TOP}`,
          [...params, FALLBACK_INTENT],
        ),
        flows.length === 0 ? Promise.resolve([]) : this.flows(params, flows),
      ]);
    const fallbackRow = fallbacks[0] ?? { fallbacks: 0, answered: 0 };
    const totals = figures.find((row) => row.g === 3);
    const byDay = new Map(
      figures.filter((row) => row.g === 1).map((row) => [row.day!, toFigures(row)]),
    );
    return {
      filter: { from: filter.from, to: filter.to, channel: filter.channel ?? null },
      totals: totals ? toFigures(totals) : toFigures(null),
      byDay: daysOf(filter.from, filter.to).map((day) => ({
        day,
        ...(byDay.get(day) ?? toFigures(null)),
      })),
      byChannel: figures
        .filter((row) => row.g === 2)
        .map((row) => ({ channel: row.channel!, ...toFigures(row) }))
        .sort((a, b) => b.conversations - a.conversations || a.channel.localeCompare(b.channel)),
      escalationReasons: reasons,
      topEscalationReasons: topReasons,
      csatDistribution: csat,
      topIntents: intents.map((row) => ({
        intent: row.intent,
        count: row.count,
        share: row.total > 0 ? row.count / row.total : 0,
      })),
      fallbacks: {
        count: fallbackRow.fallbacks,
        rate: fallbackRow.answered > 0 ? fallbackRow.fallbacks / fallbackRow.answered : null,
      },
      fallbackHotspots: hotspots.map((row) => ({
        afterIntent: row.after_intent,
        afterPrompt: row.after_prompt,
        count: row.count,
      })),
      flows: flowRows,
    };
  }

  /** Totals, per day and per channel in one pass (GROUPING SETS); g: 1 day, 2 channel, 3 all. */
  private figures(params: unknown[]): Promise<FiguresRow[]> {
    return this.db.rows<FiguresRow>(
      'analytics.figures',
      `WITH ${CONVERSATIONS},
       agg AS (
         SELECT GROUPING(day, channel) AS g, day, channel,
           count(*)::int AS conversations,
           (count(*) FILTER (WHERE escalated))::int AS escalated,
           avg(csat)::float8 AS csat_average,
           count(csat)::int AS csat_count,
           avg(turns)::float8 AS average_turns,
           coalesce(sum(cost_usd), 0)::float8 AS cost_usd
         FROM conv GROUP BY GROUPING SETS ((day), (channel), ())),
       replies AS (${CUSTOMER_MESSAGES} AND m.latency_ms IS NOT NULL AND EXISTS (
           SELECT 1 FROM messages r
           WHERE r.in_reply_to_id = m.id AND r.role = 'assistant'::"MessageRole")),
       lat AS (
         SELECT GROUPING(day, channel) AS g, day, channel, count(*)::int AS replies,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
         FROM replies GROUP BY GROUPING SETS ((day), (channel), ()))
       SELECT agg.g, to_char(agg.day, 'YYYY-MM-DD') AS day, agg.channel, agg.conversations,
         agg.escalated, agg.csat_average, agg.csat_count, agg.average_turns, agg.cost_usd,
         lat.replies, lat.p50, lat.p95
       FROM agg LEFT JOIN lat ON lat.g = agg.g AND lat.day IS NOT DISTINCT FROM agg.day
         AND lat.channel IS NOT DISTINCT FROM agg.channel`,
      params,
    );
  }

  private async flows(params: unknown[], flows: FlowRef[]): Promise<FlowCompletion[]> {
    const rows = await this.db.rows<{
      flow: string;
      started: number;
      completed: number;
      escalated: number;
    }>(
      'analytics.flows',
      `WITH ${CONVERSATIONS},
       flows AS (SELECT * FROM jsonb_to_recordset($5::jsonb) AS f(name text, trigger text, tool text)),
       started AS (
         SELECT DISTINCT f.name, conv.id, conv.escalation_reason
         FROM flows f JOIN (${CUSTOMER_MESSAGES}) m
           ON m.intent = f.trigger OR m.intent = 'flow.' || f.name
              OR starts_with(m.intent, 'flow.' || f.name || '.')
         JOIN conv ON conv.id = m.conversation_id)
       SELECT f.name AS flow,
         count(s.id)::int AS started,
         (count(s.id) FILTER (WHERE EXISTS (
            SELECT 1 FROM tool_calls tc
            WHERE tc.conversation_id = s.id AND tc.assistant_id = $1 AND tc.tool = f.tool
              AND tc.status = 'finished')))::int AS completed,
         (count(s.id) FILTER (WHERE s.escalation_reason ~ '^(failed attempts|policy|tool): '
            AND split_part(split_part(s.escalation_reason, ': ', 2), ' ', 1) = f.name))::int
           AS escalated
       FROM flows f LEFT JOIN started s ON s.name = f.name
       GROUP BY f.name, f.tool ORDER BY 2 DESC, 1`,
      [...params, JSON.stringify(flows)],
    );
    return rows.map((row) => ({
      ...row,
      completionRate: row.started > 0 ? row.completed / row.started : null,
    }));
  }
}

function toFigures(row: FiguresRow | null): AnalyticsFigures {
  const conversations = row?.conversations ?? 0;
  const escalated = row?.escalated ?? 0;
  const costUsd = row?.cost_usd ?? 0;
  return {
    conversations,
    escalated,
    containmentRate: conversations > 0 ? (conversations - escalated) / conversations : null,
    escalationRate: conversations > 0 ? escalated / conversations : null,
    csatAverage: row?.csat_average ?? null,
    csatCount: row?.csat_count ?? 0,
    averageTurns: row?.average_turns ?? null,
    replies: row?.replies ?? 0,
    latencyP50Ms: row?.p50 ?? null,
    latencyP95Ms: row?.p95 ?? null,
    costUsd,
    costPerConversationUsd: conversations > 0 ? costUsd / conversations : null,
  };
}

/** YYYY-MM-DD of every UTC day from `from` to `to`, both included. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
