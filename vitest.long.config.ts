import { defineConfig } from 'vitest/config';

// Long wall-clock scenarios (minute-long outages, soak runs): `pnpm test:long`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // Its own single project, so that vitest.workspace.ts (the normal tests) is not picked up instead.
    projects: [{ extends: true, test: { name: 'long' } }],
    include: ['packages/*/test/**/*.long.test.ts', 'examples/*/test/**/*.long.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    passWithNoTests: true,
  },
});
