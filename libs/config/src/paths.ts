import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The installation's root (where prisma/ and assistants/ live), found by walking up from this
 * file, so it is right both from sources (tests) and from dist/ (running services).
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (
      existsSync(path.join(dir, 'prisma', 'schema.prisma')) &&
      existsSync(path.join(dir, 'package.json'))
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find Parley's root above ${start}`);
  }
}

export const REPO_ROOT = findRoot(__dirname);

export const PATHS = {
  schema: path.join(REPO_ROOT, 'prisma/schema.prisma'),
  migrations: path.join(REPO_ROOT, 'prisma/migrations'),
  migrationSnapshot: path.join(REPO_ROOT, 'prisma/migrations/.snapshot.prisma'),
  demoAssistant: path.join(REPO_ROOT, 'assistants/demo'),
  datasets: path.join(REPO_ROOT, 'datasets'),
} as const;
