import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createDiskBuffer } from '../src/index.js';
import { storeContract } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'iiot-buffer-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeContract('disk buffer, sync every 5 ms', (limits) =>
  createDiskBuffer({ ...limits, dir: join(root, `group-${n++}`), sync: { everyMs: 5 }, segmentBytes: 512 }),
);
storeContract("disk buffer, sync 'always'", (limits) =>
  createDiskBuffer({ ...limits, dir: join(root, `always-${n++}`), sync: 'always' }),
);
