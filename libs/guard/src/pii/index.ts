export * from './detect';
export * from './evaluate';
export * from './mask';
export * from './recognizers';
export * from './redact';
