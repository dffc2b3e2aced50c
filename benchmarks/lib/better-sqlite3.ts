// better-sqlite3 is only a benchmark baseline, so `pnpm install` does not compile it (that takes minutes and
// would try to download a prebuilt binary first). The first benchmark that needs it compiles it here, from
// source through its own `build-release` script, so npm's node-gyp runs with npm's configuration (where the
// Node.js headers are).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The better-sqlite3 `Database` class, compiled on first use. */
export async function loadBetterSqlite3(): Promise<typeof import('better-sqlite3')> {
  const dir = dirname(require.resolve('better-sqlite3/package.json'));
  if (!existsSync(join(dir, 'build', 'Release', 'better_sqlite3.node'))) {
    console.log('compiling better-sqlite3 for the baseline (first run only) …');
    execFileSync('npm', ['run', 'build-release'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return (await import('better-sqlite3')).default;
}
