/** Ticket priorities, as stored (handoff_tickets.priority): higher is more urgent. */
export enum TicketPriority {
  Low = 1,
  Normal = 2,
  High = 3,
  Urgent = 4,
}

/**
 * The priority a hand-over starts at, from the engine's escalation reason: an upset customer or
 * a case over a policy limit (refund, dispute) before one who simply asked for a person.
 */
export function priorityFor(reason: string): TicketPriority {
  if (/^(frustration|abuse)\b/i.test(reason)) return TicketPriority.High;
  if (/^policy:/i.test(reason)) return TicketPriority.High;
  return TicketPriority.Normal;
}

export const priorityName = (priority: number): string =>
  TicketPriority[priority]?.toLowerCase() ?? String(priority);

/** Kinds of escalation reason: a bounded metric label, where the reason itself is free text. */
export type ReasonCategory =
  'frustration' | 'abuse' | 'policy' | 'tool' | 'failed_attempts' | 'customer_request' | 'other';

/** The kind of an engine's escalation reason (see flow-runner, screen and dialogue-engine). */
export function reasonCategory(reason: string): ReasonCategory {
  if (/^frustration\b/i.test(reason)) return 'frustration';
  if (/^abuse\b/i.test(reason)) return 'abuse';
  if (/^policy:/i.test(reason)) return 'policy';
  if (/^tool:/i.test(reason)) return 'tool';
  if (/^failed attempts:/i.test(reason)) return 'failed_attempts';
  if (/asked for a person/i.test(reason)) return 'customer_request';
  return 'other';
}
