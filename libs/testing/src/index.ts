export * from './env';
export * from './processes';
