export * from './code-tools';
export * from './http-tool';
export * from './tool-result';
export * from './tool-runner';
export * from './connector-policy';
