export * from './engine';
export * from './knowledge-engine';
