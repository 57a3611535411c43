/**
 * The bench's third configuration: the built-in engine with a model first in its chain, the model
 * being a fake OpenAI-compatible server that answers at once. What it measures is Parley's own
 * cost of a model turn (knowledge passages, prompt, the official SDK over HTTP and SSE, the
 * streaming output guard, token accounting), not a model's latency.
 */
import { Client } from 'pg';

import { startFakeOpenAI } from '@parley/testing';

import { round, type Run } from './stats';

export const LLM_LABEL = 'engine + LLM (zero-latency fake model, LLM_ROUTE=all)';

const ANSWER =
  'Thanks for asking! Our help centre covers this; I can also connect you with the support team.';

export interface ZeroLatencyModel {
  /** Orchestrator settings that put the fake first in the chain and send it every new request. */
  env: Record<string, string>;
  /** Chat Completions requests answered so far, by how the client asked for the answer. */
  answered: { streamed: number; whole: number };
  close(): Promise<void>;
}

export interface ModelComparison {
  /** Turns per second, the model configuration beside the built-in engine of the same run. */
  turnsPerSecond: {
    oneAtATime: { llm: number; engine: number };
    saturated: { llm: number; engine: number };
  };
  /** One at a time: the model configuration's latency minus the built-in engine's. */
  addedLatencyMs: { p50: number; p99: number };
  modelRequests: { streamed: number; whole: number };
  /** Warm-up included: every turn of the model configuration's suite. */
  turns: number;
  turnsByModel: number;
}

/**
 * Every request gets a short text answer, never a tool call: bench customers are anonymous, and
 * the order lookup (get_order_status) is a customer tool, not offered to the model for them.
 */
export async function startZeroLatencyModel(): Promise<ZeroLatencyModel> {
  // Tens of thousands of requests of a few KB each: counted, not recorded.
  const server = await startFakeOpenAI({ record: false });
  const answered = { streamed: 0, whole: 0 };
  server.respondWith((request) => {
    if (request.body.stream === true) answered.streamed += 1;
    else answered.whole += 1;
    return { kind: 'text', text: ANSWER };
  });
  return {
    env: {
      LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
      OPENAI_BASE_URL: `${server.url}/v1`,
      OPENAI_API_KEY: 'bench-key',
      LLM_ROUTE: 'all',
    },
    answered,
    close: () => server.close(),
  };
}

/**
 * The suite's turns since `since`, how many the model answered (engine `llm:…`) and the requests
 * the fake received. Throws when the model answered none: the LLM row would then only measure the
 * built-in engine under another name.
 */
export async function modelTurnsSince(
  model: ZeroLatencyModel,
  databaseUrl: string,
  since: Date,
): Promise<Pick<ModelComparison, 'modelRequests' | 'turns' | 'turnsByModel'>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client
    .query<{ turns: number; by_model: number }>(
      `SELECT count(*)::int AS turns, count(*) FILTER (WHERE engine LIKE 'llm:%')::int AS by_model
       FROM messages WHERE role = 'user' AND created_at >= $1`,
      [since],
    )
    .finally(() => client.end());
  const turns = rows[0]?.turns ?? 0;
  const turnsByModel = rows[0]?.by_model ?? 0;
  const { streamed, whole } = model.answered;
  console.log(
    `bench: the fake model answered ${streamed + whole} requests (${streamed} streamed); ` +
      `the model answered ${turnsByModel} of ${turns} turns`,
  );
  if (streamed + whole === 0 || turnsByModel === 0) {
    throw new Error(
      `bench: no turn was answered by the fake model (${streamed + whole} requests, ` +
        `${turnsByModel} of ${turns} turns); the orchestrator did not use LLM_CHAIN=${model.env.LLM_CHAIN}`,
    );
  }
  return { modelRequests: { streamed, whole }, turns, turnsByModel };
}

export function compareWithEngine(
  llm: Run[],
  engine: Run[],
  model: Pick<ModelComparison, 'modelRequests' | 'turns' | 'turnsByModel'>,
): ModelComparison {
  const find = (runs: Run[], kind: Run['kind']) => {
    const run = runs.find((r) => r.kind === kind);
    if (!run) throw new Error(`bench: no ${kind} run to compare`);
    return run;
  };
  const [serial, engineSerial] = [find(llm, 'serial'), find(engine, 'serial')];
  return {
    turnsPerSecond: {
      oneAtATime: { llm: serial.achieved, engine: engineSerial.achieved },
      saturated: {
        llm: find(llm, 'saturated').achieved,
        engine: find(engine, 'saturated').achieved,
      },
    },
    addedLatencyMs: {
      p50: round(serial.latency.p50 - engineSerial.latency.p50),
      p99: round(serial.latency.p99 - engineSerial.latency.p99),
    },
    ...model,
  };
}

/** The comparison as markdown, printed after the tables. */
export function comparisonText(c: ModelComparison): string[] {
  const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms} ms`;
  const { oneAtATime, saturated } = c.turnsPerSecond;
  const requests = c.modelRequests.streamed + c.modelRequests.whole;
  const share = round((c.turnsByModel / Math.max(c.turns, 1)) * 100, 1);
  return [
    `**${LLM_LABEL} beside the built-in engine, same run:**`,
    '',
    `- turns/s: one at a time ${oneAtATime.llm} vs ${oneAtATime.engine}, saturated ${saturated.llm} vs ${saturated.engine}`,
    `- added latency per turn (one at a time): p50 ${signed(c.addedLatencyMs.p50)}, p99 ${signed(c.addedLatencyMs.p99)}`,
    `- model turns: ${c.turnsByModel} of ${c.turns} (${share}%, warm-up included); the fake answered ${requests} Chat Completions requests (${c.modelRequests.streamed} streamed)`,
    '- text answers only: bench customers are anonymous and get_order_status is a customer tool, so it is not offered to the model and the tool path is not measured',
  ];
}
