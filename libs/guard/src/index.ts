export * from './pii';
export * from './vault';
export * from './intake/pii-intake';
