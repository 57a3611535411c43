export * from './database';
export * from './repositories/assistant.repository';
export * from './repositories/inbox.repository';
export * from './repositories/knowledge.repository';
export * from './repositories/outbox.repository';
export * from './repositories/transcript.repository';
export * from './repositories/turn.repository';
export * from './migrations/migrate';
