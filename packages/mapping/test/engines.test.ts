import { createJsonataEngine } from '../src/index.js';
import { describeExpressionEngine } from './engine-contract.js';
import { syncEngine } from './fixtures/sync-engine.js';

describeExpressionEngine('createJsonataEngine (jsonata 2.x)', createJsonataEngine());
describeExpressionEngine('synchronous jsonata 1.x', syncEngine);
