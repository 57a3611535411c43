export * from './demo-model';
export * from './fake-anthropic';
export * from './fake-llm-server';
export * from './fake-openai';
export * from './fake-twilio';
export * from './fake-graph-api';
export * from './fake-slack';
export * from './slack-payloads';
