export * from './config';
export * from './shared';
export * from './paths';
