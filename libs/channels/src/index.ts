export * from './delivery';
export * from './intake';
export * from './signature';
export * from './channel-module';
export * from './slack-signature';
