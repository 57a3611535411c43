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
