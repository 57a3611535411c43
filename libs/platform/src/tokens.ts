/** Injection tokens for what every service shares. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
/** A second Redis connection for blocking BullMQ worker commands. */
export const REDIS_BLOCKING = Symbol('REDIS_BLOCKING');
export const PRODUCER = Symbol('PRODUCER');
