export * from './assignment';
export * from './compare';
export * from './experiment.schema';
export * from './overrides';
export * from './statistics';
