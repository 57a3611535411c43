#!/usr/bin/env node
// `npx parley …` from the repo: compile what changed (fast, incremental), then run the CLI.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { stdio: 'inherit' });
require(path.join(root, 'dist/apps/cli/src/main.js'));
