export * from './chunker';
export * from './ingest';
export * from './language';
