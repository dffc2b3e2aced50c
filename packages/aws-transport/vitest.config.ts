import { defineProject, mergeConfig } from 'vitest/config';
import { definePackageProject } from '../../vitest.shared.js';

export default mergeConfig(
  definePackageProject('aws-transport'),
  defineProject({ test: { globalSetup: ['test/fixtures/global-setup.ts'] } }),
);
