import { createJsonataEngine } from '../src/index.js';
import { describeExpressionEngine } from './engine-contract.js';
import { syncEngine } from './fixtures/sync-engine.js';

describeExpressionEngine('createJsonataEngine (compiled, the default)', createJsonataEngine());
describeExpressionEngine('createJsonataEngine (jsonata 2.x interpreter)', createJsonataEngine({ interpreter: true }));
describeExpressionEngine('synchronous jsonata 1.x', syncEngine);
