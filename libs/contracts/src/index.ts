export * from './api';
export * from './channels';
export * from './events';
export * from './jobs';
export * from './queues';
