import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PATHS } from '@parley/config';

import {
  AssistantDefinitionError,
  AssistantProblemCode,
  formatProblem,
  type AssistantProblem,
} from './errors';
import { loadAssistant } from './load';
import { MIN_EXAMPLES } from './schema/intent.schema';

const copies: string[] = [];

/** A copy of the demo assistant in the temp folder, with `edits` applied to some of its files. */
async function demoCopy(edits: Record<string, (text: string) => string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-assistant-'));
  copies.push(dir);
  await cp(PATHS.demoAssistant, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(dir, file);
    const before = await readFile(full, 'utf8').catch(() => '');
    const after = edit(before);
    if (after === before) throw new Error(`edit of ${file} changed nothing`);
    await writeFile(full, after);
  }
  return dir;
}

/** Replaces exactly one occurrence, so a test cannot silently edit the wrong place. */
const replaceOnce = (from: string, to: string) => (text: string) => {
  if (text.split(from).length !== 2) throw new Error(`"${from}" is not in the file exactly once`);
  return text.replace(from, to);
};

async function problemsOf(dir: string): Promise<readonly AssistantProblem[]> {
  try {
    await loadAssistant(dir);
  } catch (error) {
    if (error instanceof AssistantDefinitionError) return error.problems;
    throw error;
  }
  throw new Error(`${dir} loaded without problems`);
}

/** The one problem in `dir`; fails the test when there are others too. */
async function onlyProblem(dir: string): Promise<AssistantProblem> {
  const problems = await problemsOf(dir);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

/** 1-based line and column of the first `needle` in a file of `dir`. */
async function positionOf(dir: string, file: string, needle: string) {
  const text = await readFile(path.join(dir, file), 'utf8');
  const before = text.slice(0, text.indexOf(needle));
  if (!text.includes(needle)) throw new Error(`"${needle}" not in ${file}`);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

const inFile = (dir: string, file: string) => path.join(dir, file);

afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe(loadAssistant.name, () => {
  it('loads the demo assistant with no problems', async () => {
    const demo = await loadAssistant(PATHS.demoAssistant);

    expect(demo.assistant.id).toBe('demo');
    expect(demo.assistant.languages).toEqual(['en', 'de']);
    expect(demo.policies.returns.window_days).toBe(30);
    expect(demo.policies.business_hours.weekly.sun).toEqual([]);
    expect(demo.policies.business_hours.weekly.sat).toEqual([{ open: '09:00', close: '13:00' }]);
    expect(demo.intents.map((i) => i.name)).toEqual(
      expect.arrayContaining(['greet', 'thanks', 'goodbye', 'order_status', 'talk_to_human']),
    );
    expect(Math.min(...demo.intents.map((i) => i.examples.length))).toBeGreaterThanOrEqual(15);
    expect(demo.flows.map((f) => f.name)).toEqual(
      expect.arrayContaining(['order_status', 'start_return', 'request_refund', 'change_plan']),
    );
    expect(demo.entities.plan).toMatchObject({ type: 'list' });
    expect(Object.keys(demo.tools)).toContain('get_order_status');
    expect(demo.knowledge.map((k) => k.file)).toContain('returns.md');
    expect(demo.environment).toEqual({ config: ['SHOP_API_URL'], secrets: ['SHOP_API_TOKEN'] });
  });

  it('gives greetings, thanks, goodbyes and the fallback texts in English and German', async () => {
    const demo = await loadAssistant(PATHS.demoAssistant);
    const byName = new Map(demo.intents.map((intent) => [intent.name, intent]));

    for (const name of ['greet', 'thanks', 'goodbye']) {
      expect(Object.keys(byName.get(name)?.responses ?? {})).toEqual(['en', 'de']);
    }
    expect(Object.keys(demo.responses.fallback)).toEqual(['en', 'de']);
  });

  it('reports invalid YAML with the file and the line of the mistake', async () => {
    const dir = await demoCopy({
      'intents/greet.yaml': replaceOnce('  - good morning\n', '  - good morning\n bad: [indent\n'),
    });

    const problems = await problemsOf(dir);

    expect(problems).toContainEqual(
      expect.objectContaining({
        code: AssistantProblemCode.Syntax,
        file: inFile(dir, 'intents/greet.yaml'),
        line: (await positionOf(dir, 'intents/greet.yaml', ' bad: [indent')).line,
      }),
    );
  });

  it('names the file, line and column of a slot whose entity is unknown', async () => {
    const dir = await demoCopy({
      'flows/order_status.yaml': replaceOnce('entity: order_id', 'entity: order_no'),
    });

    const problems = await problemsOf(dir);

    const expected = await positionOf(dir, 'flows/order_status.yaml', 'entity: order_no');
    expect(problems).toEqual([
      expect.objectContaining({
        code: AssistantProblemCode.Reference,
        file: inFile(dir, 'flows/order_status.yaml'),
        ...expected,
        path: 'slots.order_id.entity',
      }),
    ]);
    expect(formatProblem(problems[0]!)).toBe(
      `${inFile(dir, 'flows/order_status.yaml')}:${expected.line}:${expected.column}: ` +
        'slots.order_id.entity: unknown entity "order_no" (known: order_id, plan, return_reason, ' +
        'email, phone, callback_time, amount, address, details)',
    );
  });

  it('reports a flow naming a tool that tools.yaml does not declare', async () => {
    const dir = await demoCopy({
      'flows/cancel_order.yaml': replaceOnce('tool: cancel_order', 'tool: cancel_the_order'),
    });

    const problem = await onlyProblem(dir);

    expect(problem).toMatchObject({
      file: inFile(dir, 'flows/cancel_order.yaml'),
      ...(await positionOf(dir, 'flows/cancel_order.yaml', 'tool: cancel_the_order')),
      path: 'tool',
    });
    expect(problem.message).toMatch(/^unknown tool "cancel_the_order" \(known: get_order_status, /);
  });

  it('points at a placeholder that names no slot of the flow', async () => {
    const dir = await demoCopy({
      'flows/reset_password.yaml': replaceOnce(
        "en: I'll send a password reset link to {email}.",
        "en: I'll send a password reset link to {email_address}.",
      ),
    });

    const problem = await onlyProblem(dir);

    expect(problem).toMatchObject({
      file: inFile(dir, 'flows/reset_password.yaml'),
      ...(await positionOf(dir, 'flows/reset_password.yaml', '{email_address}')),
      path: 'confirm.en',
    });
    expect(problem.message).toMatch(/^unknown placeholder \{email_address\}; use one of \{email\}/);
  });

  it('reports text where a number is expected, at the value', async () => {
    const dir = await demoCopy({
      'policies.yaml': replaceOnce('window_days: 30', 'window_days: thirty days'),
    });

    const problems = await problemsOf(dir);

    expect(problems).toEqual([
      expect.objectContaining({
        code: AssistantProblemCode.Schema,
        file: inFile(dir, 'policies.yaml'),
        ...(await positionOf(dir, 'policies.yaml', 'window_days')),
        path: 'returns.window_days',
        message: 'expected a number, got text "thirty days"',
      }),
    ]);
  });

  it('reports a missing required field at the map that lacks it', async () => {
    const dir = await demoCopy({
      'flows/change_address.yaml': (text) =>
        text.replace(/ {4}entity: address\n/, '').replace(/^description: .*\n/m, ''),
    });

    const problems = await problemsOf(dir);

    expect(problems).toEqual([
      expect.objectContaining({
        file: inFile(dir, 'flows/change_address.yaml'),
        line: 1,
        path: 'description',
        message: 'required',
      }),
      expect.objectContaining({
        file: inFile(dir, 'flows/change_address.yaml'),
        ...(await positionOf(dir, 'flows/change_address.yaml', 'address:\n')),
        path: 'slots.address.entity',
        message: 'required',
      }),
    ]);
  });

  it('collects the problems of every broken file before throwing', async () => {
    const twoBroken = await demoCopy({
      'flows/order_status.yaml': replaceOnce('entity: order_id', 'entity: order_no'),
      'intents/thanks.yaml': (text) => text.replace(/^description: .*\n/m, ''),
    });

    const problems = await problemsOf(twoBroken);

    expect(problems.map((p) => path.relative(twoBroken, p.file))).toEqual([
      path.join('intents', 'thanks.yaml'),
      path.join('flows', 'order_status.yaml'),
    ]);
    await expect(loadAssistant(twoBroken)).rejects.toThrow(/has 2 problems:\n/);
  });

  it('rejects unknown fields, naming the misspelt key', async () => {
    const dir = await demoCopy({
      'intents/goodbye.yaml': replaceOnce('examples:', 'exmaples:'),
    });

    const problems = await problemsOf(dir);

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'exmaples',
          message: 'unknown field "exmaples"',
          ...(await positionOf(dir, 'intents/goodbye.yaml', 'exmaples:')),
        }),
        expect.objectContaining({ path: 'examples', message: 'required' }),
      ]),
    );
  });

  it(`requires at least ${MIN_EXAMPLES} examples per intent`, async () => {
    const dir = await demoCopy({
      'intents/deny.yaml': (text) =>
        text.replace(/examples:\n(  - .*\n)+/, 'examples: [no, nope]\n'),
    });

    expect(await problemsOf(dir)).toEqual([
      expect.objectContaining({
        path: 'examples',
        message: `needs at least ${MIN_EXAMPLES} examples`,
      }),
    ]);
  });

  it('reports a translation into a language the assistant does not declare', async () => {
    const dir = await demoCopy({
      'intents/thanks.yaml': (text) => `${text}  fr: De rien !\n`,
    });

    expect(await problemsOf(dir)).toEqual([
      expect.objectContaining({
        path: 'responses.fr',
        message: 'language "fr" is not in assistant.yaml languages (en, de)',
        ...(await positionOf(dir, 'intents/thanks.yaml', 'fr: De rien')),
      }),
    ]);
  });

  it('refuses a credential written inline in a tool header', async () => {
    const dir = await demoCopy({
      'tools.yaml': (text) =>
        text.replace(
          'Authorization: Bearer {secret.SHOP_API_TOKEN}',
          'Authorization: Bearer sk_live_123',
        ),
    });

    const problem = await onlyProblem(dir);

    expect(problem.path).toBe('get_order_status.headers.Authorization');
    expect(problem.message).toMatch(/credential written inline/);
  });

  it('requires a confirm question before a tool with side effects', async () => {
    const dir = await demoCopy({
      'flows/cancel_order.yaml': (text) => text.replace(/^confirm:\n(  .*\n)+/m, ''),
    });

    expect(await problemsOf(dir)).toEqual([
      expect.objectContaining({
        path: 'tool',
        message: 'tool "cancel_order" has side effects: add a confirm question',
      }),
    ]);
  });

  it('reports a reply to an outcome the tool never produces', async () => {
    const dir = await demoCopy({
      'flows/order_status.yaml': replaceOnce('  not_found:', '  lost_in_transit:'),
    });

    const problem = await onlyProblem(dir);

    expect(problem.path).toBe('replies.lost_in_transit');
    expect(problem.message).toMatch(
      /^unknown outcome "lost_in_transit" \(known: success, failure, not_found, processing, shipped, delivered, declined\)$/,
    );
  });

  it('reports an intent nothing answers', async () => {
    const dir = await demoCopy({
      'policies.yaml': replaceOnce('on_intents: [talk_to_human]', 'on_intents: []'),
    });

    const problem = await onlyProblem(dir);

    expect(problem.file).toBe(inFile(dir, 'intents/talk_to_human.yaml'));
    expect(problem.message).toMatch(/^nothing answers this intent/);
  });

  it('reports intents that flows and policies name but no file declares', async () => {
    const dir = await demoCopy({
      'flows/change_plan.yaml': replaceOnce('trigger: change_plan', 'trigger: switch_plan'),
      'policies.yaml': replaceOnce('on_intents: [talk_to_human]', 'on_intents: [talk_to_agent]'),
    });

    const problems = await problemsOf(dir);

    expect(
      problems.map((p) => [path.relative(dir, p.file), p.path, p.message.split(' (')[0]]),
    ).toEqual([
      ['policies.yaml', 'escalation.on_intents.0', 'unknown intent "talk_to_agent"'],
      [path.join('intents', 'change_plan.yaml'), 'name', expect.stringMatching(/^nothing answers/)],
      [
        path.join('intents', 'talk_to_human.yaml'),
        'name',
        expect.stringMatching(/^nothing answers/),
      ],
      [path.join('flows', 'change_plan.yaml'), 'trigger', 'unknown intent "switch_plan"'],
    ]);
  });

  it('reports missing required files and a misnamed .yml file', async () => {
    const dir = await demoCopy();
    await rm(path.join(dir, 'responses.yaml'));
    await writeFile(path.join(dir, 'intents', 'hello.yml'), 'name: hello\n');

    expect(await problemsOf(dir)).toEqual([
      expect.objectContaining({
        file: inFile(dir, 'responses.yaml'),
        message: 'missing; every assistant needs responses.yaml',
      }),
      expect.objectContaining({
        file: inFile(dir, 'intents/hello.yml'),
        message: 'rename to .yaml; .yml files are not read',
      }),
    ]);
  });

  it('says so when the folder does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'parley-no-such-assistant');

    await expect(loadAssistant(missing)).rejects.toThrow(/not a folder/);
  });
});
