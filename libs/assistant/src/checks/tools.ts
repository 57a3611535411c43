import { AssistantProblemCode, type AssistantProblem } from '../errors';
import { FLOW_OUTCOMES } from '../schema/flow.schema';
import type { HttpTool, Tool } from '../schema/tool.schema';
import type { YamlSource } from '../source';
import { placeholdersOf } from '../template';
import type { Loaded } from './context';

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Parley's id of the customer asking, so the API can check they may touch what they name. */
const CUSTOMER_ID = 'customer.id';
/** Header and query names whose values are credentials. */
const CREDENTIAL_NAME = /auth|token|key|secret|password|cookie|signature/i;
/** What may stay literal in a credential header once placeholders are removed. */
const AUTH_SCHEME = /^(bearer|basic|token|apikey)?$/i;

/** Environment variables the tools read, for the tools app to require at start. */
export interface ToolEnvironment {
  config: string[];
  secrets: string[];
}

export function toolEnvironment(tools: Record<string, Tool>): ToolEnvironment {
  const config = new Set<string>();
  const secrets = new Set<string>();
  for (const tool of Object.values(tools)) {
    if (tool.type !== 'http') continue;
    for (const template of httpTemplates(tool).map(([, value]) => value)) {
      for (const name of placeholdersOf(template)) {
        if (name.startsWith('config.')) config.add(name.slice('config.'.length));
        if (name.startsWith('secret.')) secrets.add(name.slice('secret.'.length));
      }
    }
  }
  return { config: [...config].sort(), secrets: [...secrets].sort() };
}

/** Every template of an HTTP tool with its path in the tool, and whether secrets may go there. */
function httpTemplates(
  tool: HttpTool,
): [path: string[], template: string, secretsAllowed: boolean][] {
  return [
    [['url'], tool.url, false],
    ...Object.entries(tool.headers).map(([name, value]): [string[], string, boolean] => [
      ['headers', name],
      value,
      true,
    ]),
    ...Object.entries(tool.query).map(([name, value]): [string[], string, boolean] => [
      ['query', name],
      value,
      true,
    ]),
    ...Object.entries(tool.body ?? {}).map(([name, value]): [string[], string, boolean] => [
      ['body', name],
      value,
      false,
    ]),
  ];
}

export function checkTools({
  source,
  value: tools,
}: Loaded<Record<string, Tool>>): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  const reserved: string[] = Object.values(FLOW_OUTCOMES);
  for (const [name, tool] of Object.entries(tools)) {
    tool.outcomes.forEach((outcome, index) => {
      if (reserved.includes(outcome)) {
        problems.push(
          source.problem(
            AssistantProblemCode.Reference,
            [name, 'outcomes', index],
            `"${outcome}" is built in; list only the tool's other outcomes`,
          ),
        );
      }
    });
    if (tool.type === 'http') problems.push(...checkHttpTool(source, name, tool));
  }
  return problems;
}

function checkHttpTool(source: YamlSource, name: string, tool: HttpTool): AssistantProblem[] {
  const problems: AssistantProblem[] = [];
  const at = (path: PropertyKey[], message: string, needle?: string) =>
    problems.push(
      source.problem(AssistantProblemCode.Reference, [name, ...path], message, { needle }),
    );

  const args = Object.keys(tool.args);
  const used = new Set<string>();
  for (const [path, template, secretsAllowed] of httpTemplates(tool)) {
    for (const placeholder of placeholdersOf(template)) {
      const needle = `{${placeholder}}`;
      const [root = '', variable, ...rest] = placeholder.split('.');
      if (root === 'config' || root === 'secret') {
        if (!variable || rest.length > 0 || !ENV_NAME.test(variable)) {
          at(path, `${needle}: name an environment variable in UPPER_SNAKE_CASE`, needle);
        } else if (root === 'secret' && !secretsAllowed) {
          at(path, `${needle}: secrets may be used only in headers and query`, needle);
        }
      } else if (args.includes(placeholder)) {
        used.add(placeholder);
      } else if (placeholder !== CUSTOMER_ID) {
        at(path, `unknown argument ${needle} (arguments: ${args.join(', ') || 'none'})`, needle);
      }
    }
  }

  for (const [kind, entries] of [
    ['headers', tool.headers],
    ['query', tool.query],
  ] as const) {
    for (const [key, template] of Object.entries(entries)) {
      const literal = template.replace(/\{[^{}]*\}/g, '').trim();
      if (CREDENTIAL_NAME.test(key) && !AUTH_SCHEME.test(literal)) {
        at(
          [kind, key],
          'looks like a credential written inline; keep it in the environment and write {secret.NAME}',
        );
      }
    }
  }
  if (/^[a-z]+:\/\/[^/]*@/i.test(tool.url)) {
    at(['url'], 'credentials in the URL; use a header with {secret.NAME}');
  }

  if (tool.body && (tool.method === 'GET' || tool.method === 'DELETE')) {
    at(['body'], `${tool.method} requests carry no body; use query`);
  }
  const sendsArgsAsBody = !tool.body && tool.method !== 'GET' && tool.method !== 'DELETE';
  if (!sendsArgsAsBody) {
    for (const arg of args.filter((a) => !used.has(a))) {
      at(['args', arg], `argument "${arg}" is never sent: use {${arg}} in url, query or body`);
    }
  }

  for (const [status, outcome] of Object.entries(tool.status_outcomes)) {
    if (!tool.outcomes.includes(outcome)) {
      at(
        ['status_outcomes', status],
        `unknown outcome "${outcome}"; add it to outcomes (${tool.outcomes.join(', ') || 'none'})`,
      );
    }
  }
  return problems;
}
