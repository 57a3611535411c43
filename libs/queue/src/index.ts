export * from './lease';
export * from './queues';
export * from './redis';
export * from './worker';
export * from './results';
export * from './tracing';
