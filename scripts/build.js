#!/usr/bin/env node
// Compiles every TypeScript source (apps, libs, bench, scripts) to dist/ with SWC, rewriting the
// @parley/* path aliases to relative requires, so `node dist/apps/<app>/src/main.js` runs as is.
// Type checking is `npm run typecheck`; this only transpiles, and only files newer than their output.
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
const sourceDirs = ['apps', 'libs', 'bench', 'scripts'];
const { paths } = require(path.join(root, 'tsconfig.base.json')).compilerOptions;

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: root,
    paths,
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

function* sources(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sources(full);
    } else if (/\.ts$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name)) {
      yield full;
    }
  }
}

async function compile(file) {
  const rel = path.relative(root, file);
  const out = path.join(outDir, rel.replace(/\.ts$/, '.js'));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(file).mtimeMs) return false;
  const { code, map } = await swc.transformFile(file, {
    ...swcOptions,
    filename: file,
    sourceFileName: path.relative(path.dirname(out), file),
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map`);
  fs.writeFileSync(`${out}.map`, map);
  return true;
}

async function main() {
  const started = Date.now();
  const files = sourceDirs.flatMap((d) => [...sources(path.join(root, d))]);
  const results = await Promise.all(files.map(compile));
  const built = results.filter(Boolean).length;
  if (built > 0) {
    console.error(`build: ${built}/${files.length} files compiled in ${Date.now() - started} ms`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
