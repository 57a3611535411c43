export * from './anthropic-provider';
export * from './fallback';
export * from './openai-provider';
export * from './pricing';
export * from './resilience';
export { retryAfterMs } from './sdk-errors';
export * from './types';
