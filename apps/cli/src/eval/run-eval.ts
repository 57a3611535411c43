import { randomUUID } from 'node:crypto';

import { userHashFor } from '@parley/contracts';
import { maskPii } from '@parley/guard';

import { matches, type ConversationTest, type TurnExpectation } from './conversation-file';
import type { ConversationJudgement, JudgeSummary } from './judge';

interface InspectedConversation {
  status: string;
  escalationReason: string | null;
  state: { flow?: { slots?: Record<string, { value: unknown }> } | null } | null;
  /** `engine` (`builtin`, `llm:openai:gpt-4o-mini`) only where the admin API shows it. */
  messages: {
    id: string;
    role: string;
    text: string;
    intent: string | null;
    engine?: string | null;
  }[];
}

/**
 * Which engine the suite answers with. `llm`: a model writes some replies, and on those turns the
 * expectations only the built-in engine can meet are skipped (and reported as skipped).
 */
export type EvalEngine = 'builtin' | 'llm';

/** The intent the engine stores on a customer message whose reply a model wrote. */
const MODEL_ANSWER = 'llm.answer';

export interface TurnRecord {
  say: string;
  replies: { text: string; quickReplies?: string[] }[];
  status: string;
  ms: number;
  failures: string[];
  /**
   * With `--engine llm`: who wrote the reply. `rules`: the built-in engine, its flows and policies,
   * a flow a model started included.
   */
  answeredBy?: 'model' | 'rules';
  /** The message's engine, where the admin API shows it. */
  engine?: string;
  /** Expectations not checked on this turn, and why. */
  skipped?: string[];
}

export interface ConversationResult {
  name: string;
  file: string;
  customer: ConversationTest['customer'];
  /** Unset when the first message was refused. */
  conversationId?: string;
  passed: boolean;
  turns: TurnRecord[];
  /** With `--judge`: the judge's scores of the conversation's replies. */
  judge?: ConversationJudgement;
}

export interface EvalOptions {
  url: string;
  /** Needed for intent, slot and escalation expectations (the admin API). */
  adminToken?: string;
  /** The web service's WEB_IDENTITY_SECRET: `customer: verified` conversations sign with it. */
  identitySecret?: string;
  /** Default `builtin`: every expectation applies to every turn. */
  engine?: EvalEngine;
}

/** The eval cannot run these conversations as written (a verified customer needs the secret). */
export class EvalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalSetupError';
  }
}

/** Fails before any message is sent when a verified conversation has no secret to sign with. */
export function assertRunnable(tests: readonly ConversationTest[], options: EvalOptions): void {
  if (options.engine === 'llm' && !options.adminToken) {
    throw new EvalSetupError(
      '--engine llm tells the turns a model answered by the intent the admin API shows: ' +
        'pass --admin-token <token> or set PARLEY_ADMIN_TOKEN.',
    );
  }
  const verified = tests.filter((t) => t.customer === 'verified');
  if (verified.length === 0 || options.identitySecret) return;
  throw new EvalSetupError(
    `${verified.length} of ${tests.length} conversations play a verified customer ` +
      "(customer: verified, the default), which needs the web service's identity secret: " +
      'pass --identity-secret <secret> or set WEB_IDENTITY_SECRET (npm start prints it). ' +
      'Conversations of anonymous visitors say customer: visitor.',
  );
}

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Plays one conversation test through the public API and checks every expectation. */
export async function runConversation(
  test: ConversationTest,
  options: EvalOptions,
): Promise<ConversationResult> {
  const userId = `eval-${randomUUID()}`;
  let userHash: string | undefined;
  if (test.customer === 'verified') {
    if (!options.identitySecret) throw new EvalSetupError(`${test.file}: no identity secret`);
    userHash = userHashFor(options.identitySecret, userId);
  }
  let conversationId: string | undefined;
  const turns: TurnRecord[] = [];
  for (const turn of test.turns) {
    const started = performance.now();
    const response = await fetch(`${options.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId,
        ...(userHash ? { userHash } : {}),
        text: turn.say,
        ...(conversationId ? { conversationId } : {}),
      }),
    });
    const ms = performance.now() - started;
    const body = (await response.json()) as {
      conversationId: string;
      messageId?: string;
      status: string;
      replies: { text: string; quickReplies?: string[] }[];
      error?: { message: string };
    };
    const record: TurnRecord = {
      say: turn.say,
      replies: body.replies ?? [],
      status: body.status,
      ms,
      failures: [],
    };
    turns.push(record);
    if (response.status !== 200) {
      record.failures.push(`HTTP ${response.status}: ${body.error?.message ?? 'no reply in time'}`);
      break;
    }
    conversationId = body.conversationId;
    const llm = options.engine === 'llm';
    const inspected =
      needsAdmin(turn.expect) || llm ? await inspect(options, conversationId) : null;
    if (llm && inspected) describeAnswer(record, inspected);
    check(turn.say, turn.expect, record, inspected, needsAdmin(turn.expect) && !options.adminToken);
  }
  const result: ConversationResult = {
    name: test.name,
    file: test.file,
    customer: test.customer,
    ...(conversationId ? { conversationId } : {}),
    passed: turns.every((t) => t.failures.length === 0),
    turns,
  };
  if (userHash) transcriptQueries.set(result, `?userHash=${userHash}`);
  return result;
}

/** A verified customer's transcript is read with their userHash, which stays out of the report. */
const transcriptQueries = new WeakMap<ConversationResult, string>();

/** The query string that reads a played conversation's transcript back (GET …/messages). */
export const transcriptQuery = (result: ConversationResult): string =>
  transcriptQueries.get(result) ?? '';

const needsAdmin = (e: TurnExpectation) =>
  e.intent !== undefined || e.slots !== undefined || e.escalation !== undefined;

/** The customer's last message: its intent says whether a model wrote the reply. */
function describeAnswer(record: TurnRecord, inspected: InspectedConversation) {
  const customer = [...inspected.messages].reverse().find((m) => m.role === 'user');
  record.answeredBy = customer?.intent === MODEL_ANSWER ? 'model' : 'rules';
  if (customer?.engine) record.engine = customer.engine;
}

/**
 * What only the built-in engine does: a model's reply has no intent of its own (always
 * llm.answer), starts no flow (slots) and offers no buttons (quick replies).
 */
function builtinOnly(expect: TurnExpectation): string[] {
  return [
    ...(expect.intent !== undefined ? [`intent ${expect.intent}`] : []),
    ...(expect.slots !== undefined ? [`slots ${JSON.stringify(expect.slots)}`] : []),
    ...(expect.quick_replies !== undefined
      ? [`quick replies ${expect.quick_replies.join(', ')}`]
      : []),
  ];
}

async function inspect(
  options: EvalOptions,
  conversationId: string,
): Promise<InspectedConversation | null> {
  if (!options.adminToken) return null;
  const response = await fetch(`${options.url}/api/v1/admin/conversations/${conversationId}`, {
    headers: { authorization: `Bearer ${options.adminToken}` },
  });
  // Gone: erased at the customer's request, which a conversation may test.
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`admin API answered ${response.status}; check --admin-token`);
  return (await response.json()) as InspectedConversation;
}

function check(
  said: string,
  expect: TurnExpectation,
  record: TurnRecord,
  inspected: InspectedConversation | null,
  adminMissing: boolean,
) {
  const fail = (message: string) => record.failures.push(message);
  const byModel = record.answeredBy === 'model';
  const skipped = byModel ? builtinOnly(expect) : [];
  if (skipped.length) record.skipped = skipped.map((s) => `${s} (a model answered)`);
  const texts = record.replies.map((r) => r.text);
  const all = texts.join('\n');
  for (const pattern of list(expect.reply)) {
    if (!texts.some((t) => matches(pattern, t))) fail(`no reply matches ${pattern}`);
  }
  for (const pattern of list(expect.not_reply)) {
    if (texts.some((t) => matches(pattern, t)))
      fail(`a reply matches ${pattern}, which it must not`);
  }
  if (expect.status && record.status !== expect.status)
    fail(`status ${record.status}, expected ${expect.status}`);
  if (expect.silent !== undefined && (texts.length === 0) !== expect.silent) {
    fail(expect.silent ? 'expected no reply' : 'expected a reply');
  }
  if (expect.quick_replies && !byModel) {
    const offered = record.replies.flatMap((r) => r.quickReplies ?? []);
    for (const label of expect.quick_replies) {
      if (!offered.some((o) => o.toLowerCase() === label.toLowerCase()))
        fail(`quick reply "${label}" not offered (got ${offered.join(', ') || 'none'})`);
    }
  }
  if (expect.no_pii) {
    for (const found of maskPii(said).found) {
      if (all.includes(found.value)) fail(`a reply repeats the customer's ${found.type}`);
    }
  }
  if (adminMissing) {
    fail('intent, slots and escalation need --admin-token (PARLEY_ADMIN_TOKEN of the web service)');
    return;
  }
  if (!inspected) {
    if (needsAdmin(expect)) fail('the admin API no longer finds the conversation (erased?)');
    return;
  }
  if (expect.intent !== undefined && !byModel) {
    const customer = [...inspected.messages].reverse().find((m) => m.role === 'user');
    if (customer?.intent !== expect.intent)
      fail(`intent ${customer?.intent ?? 'none'}, expected ${expect.intent}`);
  }
  if (expect.slots && !byModel) {
    const slots = inspected.state?.flow?.slots ?? {};
    for (const [name, value] of Object.entries(expect.slots)) {
      const actual = slots[name]?.value;
      if (String(actual) !== String(value))
        fail(`slot ${name} = ${String(actual)}, expected ${value}`);
    }
  }
  if (expect.escalation && !matches(expect.escalation, inspected.escalationReason ?? '')) {
    fail(`escalation reason "${inspected.escalationReason ?? ''}", expected ${expect.escalation}`);
  }
}

export interface EvalReport {
  conversations: number;
  passed: number;
  passRate: number;
  turns: number;
  latencyMs: { p50: number; p95: number; max: number };
  /** With `--engine llm`: turns whose reply a model wrote, and expectations skipped on them. */
  model?: { turns: number; skipped: number };
  /** With `--judge`: averages over every scored reply, and what fell below --min-judge-score. */
  judge?: JudgeSummary;
  results: ConversationResult[];
}

export async function runEval(
  tests: ConversationTest[],
  options: EvalOptions,
): Promise<EvalReport> {
  assertRunnable(tests, options);
  const results: ConversationResult[] = [];
  for (const test of tests) results.push(await runConversation(test, options));
  const latencies = results.flatMap((r) => r.turns.map((t) => t.ms)).sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(
      (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10,
    ) / 10;
  const passed = results.filter((r) => r.passed).length;
  const turns = results.flatMap((r) => r.turns);
  return {
    conversations: results.length,
    passed,
    passRate: results.length ? passed / results.length : 0,
    turns: latencies.length,
    latencyMs: { p50: at(0.5), p95: at(0.95), max: at(1) },
    ...(options.engine === 'llm'
      ? {
          model: {
            turns: turns.filter((t) => t.answeredBy === 'model').length,
            skipped: turns.reduce((n, t) => n + (t.skipped?.length ?? 0), 0),
          },
        }
      : {}),
    results,
  };
}

export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  for (const result of report.results.filter((r) => !r.passed)) {
    const where = result.conversationId ? `, conversation ${result.conversationId}` : '';
    lines.push(`FAIL ${result.name} (${result.file}, ${result.customer}${where})`);
    for (const turn of result.turns) {
      lines.push(`  customer: ${turn.say}`);
      const who = turn.answeredBy === 'model' ? 'model:   ' : 'bot:     ';
      for (const reply of turn.replies) lines.push(`  ${who} ${reply.text.replace(/\n/g, ' ')}`);
      for (const failure of turn.failures) lines.push(`    ✗ ${failure}`);
      for (const skipped of turn.skipped ?? []) lines.push(`    – skipped: ${skipped}`);
    }
  }
  lines.push(
    `${report.passed}/${report.conversations} conversations passed (${(report.passRate * 100).toFixed(1)}%), ` +
      `${report.turns} turns, latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
  );
  if (report.model) {
    lines.push(
      `a model answered ${report.model.turns} of ${report.turns} turns; ` +
        `${report.model.skipped} built-in expectations (intent, slots, quick replies) skipped on them`,
    );
  }
  return lines.join('\n');
}
