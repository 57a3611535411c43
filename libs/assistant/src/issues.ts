import type { z } from 'zod';

import { AssistantProblemCode, type AssistantProblem } from './errors';
import type { ValuePath, YamlSource } from './source';

/** zod's issues turned into problems a person editing YAML can act on, each at its line. */
export function schemaProblems(
  source: YamlSource,
  issues: readonly z.core.$ZodIssue[],
  /** The whole file's value; issue paths are relative to the value at `base`. */
  input: unknown,
  base: ValuePath = [],
): AssistantProblem[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) =>
          source.problem(AssistantProblemCode.Schema, [...path, key], `unknown field "${key}"`),
        );
      case 'invalid_union': {
        // Report the branch that got furthest into the value: its complaint is the specific one.
        const deepest = issue.errors
          .filter((branch) => branch.length > 0)
          .sort((a, b) => depth(b) - depth(a))[0];
        if (deepest && depth(deepest) > 0) return schemaProblems(source, deepest, input, path);
        return [source.problem(AssistantProblemCode.Schema, path, issue.message)];
      }
      case 'invalid_key':
        return [
          source.problem(
            AssistantProblemCode.Schema,
            path,
            issue.issues[0]?.message ?? issue.message,
          ),
        ];
      case 'invalid_type': {
        const actual = valueAt(input, path);
        return [
          source.problem(
            AssistantProblemCode.Schema,
            path,
            actual === undefined ? 'required' : typeMessage(issue, actual),
          ),
        ];
      }
      case 'too_small':
      case 'too_big':
      case 'invalid_format':
      case 'invalid_value':
      case 'invalid_element':
      case 'not_multiple_of':
      case 'custom':
        return [source.problem(AssistantProblemCode.Schema, path, issue.message)];
    }
  });
}

function depth(branch: readonly z.core.$ZodIssue[]): number {
  return Math.max(...branch.map((issue) => issue.path.length));
}

function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Names the YAML shape that was written, not JavaScript's. */
function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

const expectedNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

function typeMessage(issue: z.core.$ZodIssueInvalidType, actual: unknown): string {
  // A custom message set on the schema (e.g. translations) beats the generic one.
  if (!issue.message.startsWith('Invalid input'))
    return `${issue.message}, got ${describe(actual)}`;
  return `expected ${expectedNames[issue.expected] ?? issue.expected}, got ${describe(actual)}`;
}
