import { toolArgsSchema, type AssistantDefinition, type Tool } from '@parley/assistant';
import type { JsonSchemaObject, ToolSpec } from '@parley/llm';
import { z } from 'zod';

/** Personal data reaches the model as a placeholder ([EMAIL_1]), so that is what it passes on. */
const PLACEHOLDER_TYPES = new Set(['email', 'phone']);

/**
 * The argument schema the model is held to: the tool's own, except that personal data is a
 * placeholder such as [EMAIL_1], never the value (the model never sees one).
 */
export function modelArgsSchema(tool: Tool): z.ZodObject {
  const base = toolArgsSchema(tool);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, arg] of Object.entries(tool.args)) {
    let schema: z.ZodType = PLACEHOLDER_TYPES.has(arg.type)
      ? z.string().regex(/^\[[A-Z]+_\d+\]$/, `expected the placeholder the ${arg.type} appears as`)
      : (base.shape[name] as z.ZodType);
    if (PLACEHOLDER_TYPES.has(arg.type) && !arg.required) schema = schema.optional();
    const description = [
      arg.description,
      PLACEHOLDER_TYPES.has(arg.type)
        ? `The placeholder it appears as, e.g. [${arg.type.toUpperCase()}_1].`
        : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    shape[name] = description ? schema.describe(description) : schema;
  }
  return z.strictObject(shape);
}

/**
 * The tools the model is offered, as JSON Schema generated from their zod schemas: the ones this
 * customer may use (account tools only when verified), and tools with side effects only when a
 * flow runs them, since that flow's confirmation and policies are what make them safe.
 */
export function toolSpecs(definition: AssistantDefinition, verified: boolean): ToolSpec[] {
  const withFlow = new Set(definition.flows.map((f) => f.tool));
  return Object.entries(definition.tools)
    .filter(
      ([name, tool]) =>
        (verified || tool.access === 'public') && (!tool.side_effects || withFlow.has(name)),
    )
    .map(([name, tool]) => ({
      name,
      description:
        tool.description +
        (tool.side_effects ? ' The customer is asked to confirm before it runs.' : ''),
      parameters: z.toJSONSchema(modelArgsSchema(tool), { io: 'input' }) as JsonSchemaObject,
    }));
}
