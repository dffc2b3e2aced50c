import { definePackageProject } from '../../vitest.shared.js';

export default definePackageProject('example-aws-iot-bridge', { testTimeout: 60_000 });
