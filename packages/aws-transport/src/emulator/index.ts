export type { AwsIotEmulatorOptions, AwsIotEmulatorStats, AwsIotEmulator } from './emulator.js';
export { startAwsIotEmulator } from './emulator.js';
export type { PemPair, IssueClientOptions, IssueServerOptions, TestAuthority, TestPki, TestPkiOptions } from './certificates.js';
export { createTestPki } from './certificates.js';
