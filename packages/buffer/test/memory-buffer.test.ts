import { createMemoryBuffer } from '../src/index.js';
import { storeContract } from './store-contract.js';

storeContract('memory buffer', async (limits) => createMemoryBuffer(limits));
