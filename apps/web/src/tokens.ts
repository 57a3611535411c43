export const INBOX = Symbol('INBOX');
export const TRANSCRIPTS = Symbol('TRANSCRIPTS');
export const OUTBOX = Symbol('OUTBOX');
export const PII_INTAKE = Symbol('PII_INTAKE');
export const KNOWLEDGE = Symbol('KNOWLEDGE');
