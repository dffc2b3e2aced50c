export { findMosquitto, mosquittoAvailable } from './mosquitto-gate.js';
export type { MosquittoHandle, MosquittoOptions, MosquittoTlsOptions } from './mosquitto.js';
export { freePort, startMosquitto } from './mosquitto.js';
export type { CertificateAuthority, IssueOptions, IssueServerOptions, KeyPairPem, TestPki, TestPkiOptions } from './certificates.js';
export { createAuthority, createTestPki } from './certificates.js';
export { referencePath } from './reference.js';
