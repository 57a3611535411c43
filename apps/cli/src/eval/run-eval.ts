import { randomUUID } from 'node:crypto';

import { userHashFor } from '@parley/contracts';
import { maskPii } from '@parley/guard';

import { matches, type ConversationTest, type TurnExpectation } from './conversation-file';

interface InspectedConversation {
  status: string;
  escalationReason: string | null;
  state: { flow?: { slots?: Record<string, { value: unknown }> } | null } | null;
  messages: { id: string; role: string; text: string; intent: string | null }[];
}

export interface TurnRecord {
  say: string;
  replies: { text: string; quickReplies?: string[] }[];
  status: string;
  ms: number;
  failures: string[];
}

export interface ConversationResult {
  name: string;
  file: string;
  customer: ConversationTest['customer'];
  /** Unset when the first message was refused. */
  conversationId?: string;
  passed: boolean;
  turns: TurnRecord[];
}

export interface EvalOptions {
  url: string;
  /** Needed for intent, slot and escalation expectations (the admin API). */
  adminToken?: string;
  /** The web service's WEB_IDENTITY_SECRET: `customer: verified` conversations sign with it. */
  identitySecret?: string;
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
    const inspected = needsAdmin(turn.expect) ? await inspect(options, conversationId) : null;
    check(turn.say, turn.expect, record, inspected, needsAdmin(turn.expect) && !options.adminToken);
  }
  return {
    name: test.name,
    file: test.file,
    customer: test.customer,
    ...(conversationId ? { conversationId } : {}),
    passed: turns.every((t) => t.failures.length === 0),
    turns,
  };
}

const needsAdmin = (e: TurnExpectation) =>
  e.intent !== undefined || e.slots !== undefined || e.escalation !== undefined;

async function inspect(
  options: EvalOptions,
  conversationId: string,
): Promise<InspectedConversation | null> {
  if (!options.adminToken) return null;
  const response = await fetch(`${options.url}/api/v1/admin/conversations/${conversationId}`, {
    headers: { authorization: `Bearer ${options.adminToken}` },
  });
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
  if (expect.quick_replies) {
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
  if (!inspected) return;
  if (expect.intent !== undefined) {
    const customer = [...inspected.messages].reverse().find((m) => m.role === 'user');
    if (customer?.intent !== expect.intent)
      fail(`intent ${customer?.intent ?? 'none'}, expected ${expect.intent}`);
  }
  if (expect.slots) {
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
  return {
    conversations: results.length,
    passed,
    passRate: results.length ? passed / results.length : 0,
    turns: latencies.length,
    latencyMs: { p50: at(0.5), p95: at(0.95), max: at(1) },
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
      for (const reply of turn.replies) lines.push(`  bot:      ${reply.text.replace(/\n/g, ' ')}`);
      for (const failure of turn.failures) lines.push(`    ✗ ${failure}`);
    }
  }
  lines.push(
    `${report.passed}/${report.conversations} conversations passed (${(report.passRate * 100).toFixed(1)}%), ` +
      `${report.turns} turns, latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
  );
  return lines.join('\n');
}
