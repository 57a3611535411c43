export * from './api';
export * from './channels';
export * from './events';
export * from './jobs';
export * from './queues';
export * from './user-hash';
