export { findMosquitto, mosquittoAvailable } from './mosquitto-gate.js';
export type { MosquittoHandle, MosquittoOptions, MosquittoTlsOptions } from './mosquitto.js';
export { freePort, startMosquitto } from './mosquitto.js';
// The certificate generator lives with the AWS IoT stand-in, which needs it at run time for demos.
export type {
  CertificateAuthority,
  IssueOptions,
  IssueServerOptions,
  KeyPairPem,
  TestPki,
  TestPkiOptions,
} from '@iiot/aws-transport/emulator';
export { createAuthority, createTestPki } from '@iiot/aws-transport/emulator';
export { referencePath } from './reference.js';
