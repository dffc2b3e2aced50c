import { defineConfig, type Options } from 'tsup';

/** The one tsup configuration every package builds with; a package passes only its entry points. */
export function definePackageConfig(entry: Options['entry'] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    // Entry points share chunks, and a dynamic import stays lazy (connectors-opcua loads node-opcua on first use).
    splitting: true,
    treeshake: true,
  });
}
