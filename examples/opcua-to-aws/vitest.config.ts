import { definePackageProject } from '../../vitest.shared.js';

export default definePackageProject('example-opcua-to-aws', { testTimeout: 60_000 });
