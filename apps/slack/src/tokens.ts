export const INTAKE = Symbol('INTAKE');
export const DELIVERIES = Symbol('DELIVERIES');
