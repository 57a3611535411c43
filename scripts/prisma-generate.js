#!/usr/bin/env node
// `prisma generate` needs no schema engine, but the CLI tries to download one unless this points
// at an existing file; offline machines (and CI) would fail without it. See README "Database".
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
