import { definePackageConfig } from '../../tsup.config.base.js';

export default definePackageConfig({ index: 'src/index.ts', 'emulator/index': 'src/emulator/index.ts' });
