export * from './db';
export * from './env';
export * from './http';
export * from './identity';
export * from './processes';
export * from './suite';
export * from './browser';
export * from './fakes';
