import { definePackageConfig } from '../../tsup.config.base.js';

export default definePackageConfig(['src/index.ts', 'src/bin.ts']);
