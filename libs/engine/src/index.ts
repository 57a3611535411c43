export * from './engine';
export * from './knowledge-engine';
export * from './card-warning-engine';
export * from './dialogue';
export * from './output-guard';
export * from './llm';
