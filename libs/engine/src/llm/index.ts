export * from './model-responder';
export * from './model-step';
export * from './prompt';
export * from './tool-specs';
export * from './model-limits';
export * from './grounding';
