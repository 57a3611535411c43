export const TURNS = Symbol('TURNS');
export const OUTBOX = Symbol('OUTBOX');
export const ENGINE = Symbol('ENGINE');
export const LEASES = Symbol('LEASES');
export const CUSTOMERS = Symbol('CUSTOMERS');
export const TOOLS = Symbol('TOOLS');
export const STREAMS = Symbol('STREAMS');
export const DELIVERIES = Symbol('DELIVERIES');
export const TICKETS = Symbol('TICKETS');
/** The assistant's definition (policies, entities); null with the knowledge-only engine. */
export const ASSISTANT = Symbol('ASSISTANT');
