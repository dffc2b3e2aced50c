import { defineProject } from 'vitest/config';

// `pnpm test:long` sets IIOT_TESTS=long: the same projects then run only the long wall-clock scenarios.
const long = process.env.IIOT_TESTS === 'long';

/** Test settings shared by every package: sources are imported through the `source` export condition. */
export function definePackageProject(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
      include: long ? ['test/**/*.long.test.ts'] : ['test/**/*.test.ts'],
      exclude: long ? ['**/node_modules/**'] : ['test/**/*.long.test.ts', '**/node_modules/**'],
      testTimeout: long ? 900_000 : (overrides.testTimeout ?? 20_000),
      hookTimeout: long ? 120_000 : 30_000,
    },
  });
}
