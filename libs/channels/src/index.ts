export * from './delivery';
export * from './intake';
export * from './signature';
