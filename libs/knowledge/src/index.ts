export * from './chunker';
export * from './ingest';
