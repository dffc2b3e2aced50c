export type { AwsIotEmulatorOptions, AwsIotEmulatorStats, AwsIotEmulator } from './emulator.js';
export { startAwsIotEmulator } from './emulator.js';
export type { CertificateAuthority, IssueOptions, IssueServerOptions, KeyPairPem, TestPki, TestPkiOptions } from './certificates.js';
export { createAuthority, createTestPki } from './certificates.js';
