import { z } from 'zod';

import type { Tool, ToolArg } from './schema/tool.schema';

const E164 = /^\+[1-9]\d{6,14}$/;

function argSchema(arg: ToolArg): z.ZodType {
  switch (arg.type) {
    case 'string': {
      if (arg.enum) return z.enum(arg.enum as [string, ...string[]]);
      return arg.pattern ? z.string().regex(new RegExp(arg.pattern, 'u')) : z.string();
    }
    case 'number':
    case 'integer': {
      let schema = arg.type === 'integer' ? z.int() : z.number();
      if (arg.min !== undefined) schema = schema.min(arg.min);
      if (arg.max !== undefined) schema = schema.max(arg.max);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.iso.date();
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'email':
      return z.email();
    case 'phone':
      return z.string().regex(E164, 'expected an E.164 phone number like +15035550123');
  }
}

/** The zod schema of a tool's arguments, for the tool worker to validate what it is asked. */
export function toolArgsSchema(tool: Tool): z.ZodObject {
  return z.strictObject(
    Object.fromEntries(
      Object.entries(tool.args).map(([name, arg]) => {
        const schema = argSchema(arg);
        return [name, arg.required ? schema : schema.optional()];
      }),
    ),
  );
}
