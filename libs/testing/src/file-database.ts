import { execFileSync } from 'node:child_process';

/**
 * Before each integration test file (jest setupFilesAfterEnv): a database of the file's own,
 * copied from the run's migrated template, so one file's sweepers, idle-closers and counts never
 * meet another file's rows. Synchronous so that it is in place before the file's own code runs.
 * The run's global teardown drops them all.
 */
function createFileDatabase(): void {
  const template = process.env.PARLEY_TEST_DATABASE_URL;
  if (!template) return;
  const url = new URL(template);
  const templateName = url.pathname.slice(1);
  const name = `${templateName}_${Math.random().toString(36).slice(2, 10)}`;
  url.pathname = '/postgres';
  // A child process: the pg client is asynchronous, and this must finish before the file loads.
  execFileSync(
    process.execPath,
    [
      '-e',
      `const { Client } = require('pg');
       const client = new Client({ connectionString: process.argv[1] });
       client.connect()
         .then(() => client.query('CREATE DATABASE "' + process.argv[2] + '" TEMPLATE "' + process.argv[3] + '"'))
         .then(() => client.end())
         .catch((error) => { console.error(error.message); process.exit(1); });`,
      url.toString(),
      name,
      templateName,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  url.pathname = `/${name}`;
  process.env.PARLEY_TEST_DATABASE_URL = url.toString();
}

createFileDatabase();
