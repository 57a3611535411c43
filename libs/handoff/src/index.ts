export * from './business-hours';
export * from './config';
export * from './notice';
export * from './notifier';
export * from './priority';
export * from './slack-notice';
export * from './summary';
export * from './webhook';
