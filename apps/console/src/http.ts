import { z } from 'zod';

import { ErrorCode, ParleyError } from '@parley/platform';

/** A request body or query checked against `schema`; a 400 naming each bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || 'body';
    return `${field}: ${issue.message}`;
  });
  throw new ParleyError(ErrorCode.InvalidRequest, problems.join('; '));
}

/** Ticket ids are UUIDs; anything else is as unknown as a ticket of another assistant. */
export function ticketId(id: string): string {
  if (!z.uuid().safeParse(id).success) {
    throw new ParleyError(ErrorCode.TicketNotFound, 'No such ticket.');
  }
  return id;
}
