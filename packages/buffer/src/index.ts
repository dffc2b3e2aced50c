export type { BufferErrorCode } from './errors.js';
export { BufferError } from './errors.js';
export type { BufferLimits, BufferRecord, BufferStats, BufferStore, OverflowPolicy } from './store.js';
export type { MemoryBufferOptions } from './memory-buffer.js';
export { createMemoryBuffer } from './memory-buffer.js';
export type { DiskBufferOptions } from './disk-buffer.js';
export { createDiskBuffer } from './disk-buffer.js';
export type { ForwardCounters, StoreAndForwardOperator, StoreAndForwardOptions } from './store-and-forward.js';
export { storeAndForward } from './store-and-forward.js';
