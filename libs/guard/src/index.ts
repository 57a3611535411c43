export * from './pii';
export * from './vault';
export * from './intake/pii-intake';
export * from './injection';
export * from './abuse';
export * from './language';
export * from './text/split';
