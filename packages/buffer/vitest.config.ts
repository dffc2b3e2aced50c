import { definePackageProject } from '../../vitest.shared.js';

export default definePackageProject('buffer', { testTimeout: 60_000 });
