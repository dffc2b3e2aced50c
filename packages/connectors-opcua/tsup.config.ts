import { definePackageConfig } from '../../tsup.config.base.js';

export default definePackageConfig(['src/index.ts', 'src/opcua-connector-factory.ts']);
