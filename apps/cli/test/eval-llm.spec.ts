import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PATHS, REPO_ROOT } from '@parley/config';
import {
  demoModel,
  query,
  seedDemoKnowledge,
  startFakeOpenAI,
  startSuite,
  type FakeLlmServer,
  type RecordedRequest,
  type Suite,
} from '@parley/testing';

const TOKEN = 'eval-llm-admin-token-0123456789abcdef';
const IDENTITY_SECRET = 'eval-llm-identity-secret-0123456789abcdef';
const CLI = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');

interface Scores {
  groundedness: number;
  helpfulness: number;
  tone: number;
}

interface Report {
  conversations: number;
  passed: number;
  turns: number;
  model?: { turns: number; skipped: number };
  judge?: { judge: string; overall: Scores | null; scored: number; unscored: number };
  results: {
    name: string;
    conversationId?: string;
    passed: boolean;
    turns: {
      say: string;
      replies: { text: string }[];
      failures: string[];
      answeredBy?: 'model' | 'rules';
      skipped?: string[];
    }[];
    judge?: { averages: Scores | null; replies: { scores: Scores | null; reason: string }[] };
  }[];
}

const failuresOf = (report: Report) =>
  Object.fromEntries(
    report.results
      .filter((r) => !r.passed)
      .map((r) => [r.name, r.turns.flatMap((t) => t.failures.map((f) => `${t.say}: ${f}`))]),
  );

/** Two short conversations for the judge: a greeting, and a password reset with an email in it. */
const JUDGED = {
  'greeting.yaml': 'name: greeting\nturns:\n  - say: hi there\n',
  'password.yaml':
    "name: password reset\nturns:\n  - say: I forgot my password, my email is jane.doe@example.com\n  - say: 'yes'\n",
};

describe('parley eval against the LLM engine', () => {
  let suite: Suite;
  let model: FakeLlmServer;
  let judge: FakeLlmServer;
  let judgedDir: string;

  beforeAll(async () => {
    await seedDemoKnowledge();
    [model, judge] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    judgedDir = await mkdtemp(path.join(os.tmpdir(), 'parley-eval-judge-'));
    for (const [name, text] of Object.entries(JUDGED))
      await writeFile(path.join(judgedDir, name), text);
    suite = await startSuite({
      label: 'eval-llm',
      env: {
        PARLEY_ADMIN_TOKEN: TOKEN,
        WEB_IDENTITY_SECRET: IDENTITY_SECRET,
        LLM_CHAIN: 'openai:gpt-4o-mini -> builtin',
        OPENAI_BASE_URL: `${model.url}/v1`,
        OPENAI_API_KEY: 'sk-test-key',
        // Every new request goes to the model, FAQ hits and confident intents included: the most
        // model turns. `complex` would leave nearly every demo turn to the rules.
        LLM_ROUTE: 'all',
        LLM_MAX_RETRIES: '0',
      },
    });
  });

  afterAll(async () => {
    await suite?.stop();
    await Promise.all([model?.close(), judge?.close()]);
    if (judgedDir) await rm(judgedDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    model.reset();
    model.respondWith(demoModel);
    judge.reset();
  });

  /** The CLI as run by hand; the judge is reached like the orchestrator's model, by OPENAI_*. */
  const parley = (dir: string, args: string[] = []) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          CLI,
          'eval',
          dir,
          '--url',
          suite.web.url,
          '--admin-token',
          TOKEN,
          '--engine',
          'llm',
          ...args,
        ],
        {
          env: {
            ...process.env,
            WEB_IDENTITY_SECRET: IDENTITY_SECRET,
            OPENAI_BASE_URL: `${judge.url}/v1`,
            OPENAI_API_KEY: 'sk-judge-key',
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  const reportOf = ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => {
    if (!stdout) throw new Error(`no report (exit ${code}): ${stderr}`);
    return JSON.parse(stdout) as Report;
  };

  it('plays the demo conversations with the model answering, skipping only built-in expectations on its turns', async () => {
    const run = await parley(path.join(PATHS.demoAssistant, 'conversations'), ['--json']);
    const report = reportOf(run);

    // One conversation tests what only the built-in engine does, and cannot pass with a model:
    // progressive disclosure (a model's answer offers no "More detail"). The fallback ladder
    // holds: a model's answer to what nobody understood still counts as a miss.
    expect(failuresOf(report)).toEqual({
      'knowledge detail on request': [
        'Which countries do you ship to?: no reply matches /Canada, the United Kingdom.*Would you like more detail\\?/s',
        'More detail: no reply matches /Import duties.*Source: Shipping and delivery/s',
      ],
    });
    expect(report.passed).toBe(report.conversations - 1);
    expect(run.code).toBe(1);
    expect(report.judge).toBeUndefined();

    // The model was really asked, and wrote replies the eval knows as its own.
    expect(model.requests.length).toBeGreaterThan(0);
    const turns = report.results.flatMap((r) => r.turns.map((t) => ({ ...t, name: r.name })));
    const byModel = turns.filter((t) => t.answeredBy === 'model');
    expect(report.model?.turns).toBe(byModel.length);
    expect(byModel.map((t) => t.say)).toEqual(
      expect.arrayContaining(['hi there', 'Can you check on ORD-55120 for me?']),
    );
    const greeting = turns.find((t) => t.say === 'hi there');
    expect(greeting?.skipped).toEqual(['intent greet (a model answered)']);
    // Built-in turns keep every expectation: a policy refusal, and a flow the model started.
    expect(turns.find((t) => t.name === 'legal advice refused')).toMatchObject({
      answeredBy: 'rules',
    });
    expect(turns.find((t) => t.say === 'I want to upgrade to the pro plan')).toMatchObject({
      answeredBy: 'rules',
      failures: [],
    });

    // The engine column: model replies, and the flows the model's tool calls started.
    const ids = report.results.flatMap((r) => (r.conversationId ? [r.conversationId] : []));
    const messages = await query<{ engine: string | null; intent: string | null }>(
      `SELECT engine, intent FROM messages WHERE role = 'user' AND conversation_id = ANY($1::uuid[])`,
      [ids],
    );
    const byLlm = messages.filter((m) => m.engine === 'llm:openai:gpt-4o-mini');
    expect(byLlm.filter((m) => m.intent === 'llm.answer')).toHaveLength(byModel.length);
    expect(byLlm.map((m) => m.intent)).toEqual(
      expect.arrayContaining(['cancel_order', 'start_return', 'request_refund', 'change_plan']),
    );
  });

  it('scores every reply with the judge, per conversation and overall, from the masked transcript', async () => {
    judge.respondWith(() => ({
      kind: 'text',
      text: '{"groundedness": 5, "helpfulness": 4, "tone": 3, "reason": "Short and correct."}',
    }));
    const report = reportOf(await parley(judgedDir, ['--judge', 'openai:gpt-judge', '--json']));

    const replies = report.results.flatMap((r) => r.turns.flatMap((t) => t.replies));
    expect(report.judge).toEqual({
      judge: 'openai:gpt-judge',
      overall: { groundedness: 5, helpfulness: 4, tone: 3 },
      scored: replies.length,
      unscored: 0,
      below: [],
    });
    for (const result of report.results) {
      expect(result.judge?.averages).toEqual({ groundedness: 5, helpfulness: 4, tone: 3 });
      expect(result.judge?.replies.map((r) => r.reason)).toContain('Short and correct.');
    }
    // One request per reply, each quoting the reply it scores; never the customer's email.
    expect(judge.requests).toHaveLength(replies.length);
    const asked = judge.requests.map(userPrompt);
    for (const reply of replies) {
      expect(asked.some((prompt) => prompt.includes(`<reply>\n${reply.text}\n</reply>`))).toBe(
        true,
      );
    }
    expect(judge.requests.map((r) => r.body.model)).toEqual(replies.map(() => 'gpt-judge'));
    const everything = JSON.stringify(judge.requests.map((r) => r.body));
    expect(everything).not.toContain('jane.doe@example.com');
    expect(everything).toContain('[EMAIL_1]');
  });

  it('exits 1 when an average falls below --min-judge-score, and names it', async () => {
    judge.respondWith(() => ({
      kind: 'text',
      text: '{"groundedness": 5, "helpfulness": 4, "tone": 3, "reason": "A little curt."}',
    }));
    const atThreshold = await parley(judgedDir, [
      '--judge',
      'openai:gpt-judge',
      '--min-judge-score',
      '3',
    ]);
    const above = await parley(judgedDir, [
      '--judge',
      'openai:gpt-judge',
      '--min-judge-score',
      '3.5',
    ]);

    expect(atThreshold.code).toBe(0);
    expect(atThreshold.stdout).toMatch(
      /5\.00 {2}4\.00 {2}3\.00 {2}overall \(3 replies scored, 0 unscored\)/,
    );
    expect(above.code).toBe(1);
    expect(above.stdout).toMatch(/below --min-judge-score 3\.5: greeting: tone 3/);
    expect(above.stdout).toMatch(/2\/2 conversations passed/);
  });

  it('leaves a reply unscored when the judge fails or answers without JSON, and goes on', async () => {
    judge
      .script({ kind: 'text', text: 'Looks fine to me!' }, { kind: 'status', status: 400 })
      .respondWith(() => ({
        kind: 'text',
        text: '```json\n{"groundedness": 4, "helpfulness": 4, "tone": 4, "reason": "Fine."}\n```',
      }));
    const run = await parley(judgedDir, ['--judge', 'openai:gpt-judge', '--json']);
    const report = reportOf(run);

    expect(run.code).toBe(0);
    expect(report.judge).toMatchObject({
      overall: { groundedness: 4, helpfulness: 4, tone: 4 },
      scored: 1,
      unscored: 2,
    });
    const reasons = report.results.flatMap((r) => r.judge?.replies ?? []).map((r) => r.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'unscored: the judge did not answer with the JSON asked for',
        expect.stringMatching(/^unscored: .*400/),
      ]),
    );
  });

  it('refuses to run a judge it cannot ask, before any message is sent', async () => {
    const noJudge = await parley(judgedDir, ['--min-judge-score', '4']);
    const badSpec = await parley(judgedDir, ['--judge', 'gpt-4o']);

    expect(noJudge.code).toBe(2);
    expect(noJudge.stderr).toMatch(/--min-judge-score needs --judge/);
    expect(badSpec.code).toBe(2);
    expect(badSpec.stderr).toMatch(/--judge: unknown vendor "gpt-4o"/);
    expect(model.requests).toHaveLength(0);
  });
});

function userPrompt(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: string }[];
  return messages.find((m) => m.role === 'user')?.content ?? '';
}
