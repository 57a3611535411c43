export * from './dialogue-engine';
export * from './entities';
export * from './state';
