import { defineProject } from 'vitest/config';

/** Test settings shared by every package: sources are imported through the `source` export condition. */
export function definePackageProject(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      exclude: ['test/**/*.long.test.ts', '**/node_modules/**'],
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: 30_000,
    },
  });
}
