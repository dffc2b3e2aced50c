import type { JsonSchema, ProtocolSchema } from './registry.js';

// Schemas of the built-in protocols. An endpoint's address schema serves its subscribe, read and write alike.

/** MQTT quality of service. */
export const qos: JsonSchema = { enum: [0, 1, 2], description: 'MQTT quality of service.' };
const port: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };
const pem: JsonSchema = { type: 'string', description: 'PEM text.' };
/** A period in milliseconds. */
export const interval: JsonSchema = { type: 'integer', minimum: 1, description: 'Milliseconds.' };

/** Reconnect backoff shared by every protocol's `connection`. */
export const connectionStrategySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    initialDelay: { type: 'integer', minimum: 0, default: 1000 },
    maxDelay: { type: 'integer', minimum: 0, default: 30000 },
    incrementFactor: { type: 'number', minimum: 1, default: 2 },
  },
};

/** (ext) Store-and-forward of a sink connection. */
export const bufferingSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    store: { enum: ['memory', 'disk'], default: 'disk' },
    maxMessages: { type: 'integer', minimum: 1, default: 100000 },
    maxBytes: { type: 'integer', minimum: 1, default: 104857600 },
    maxAge: { type: 'integer', minimum: 1, description: 'Milliseconds.' },
    onOverflow: { enum: ['drop-oldest', 'drop-newest', 'block'], default: 'drop-oldest' },
  },
};

export const mqttProtocol: ProtocolSchema = {
  name: 'Mqtt',
  connection: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1 },
      port,
      scheme: { enum: ['mqtt', 'mqtts', 'ws', 'wss'] },
      clientId: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      keepalive: { type: 'integer', minimum: 0 },
      clean: { type: 'boolean' },
      mutualAuthentication: { type: 'boolean' },
      caCert: pem,
      clientCert: pem,
      clientPrivateKey: pem,
      trustAllCertificates: { type: 'boolean' },
      protocolVersion: { enum: [3, 4, 5] },
      will: {
        type: 'object',
        additionalProperties: false,
        required: ['topic'],
        properties: { topic: { type: 'string' }, payload: { type: 'string' }, qos, retain: { type: 'boolean' } },
      },
    },
  },
  address: {
    type: 'object',
    additionalProperties: false,
    required: ['topic'],
    properties: { topic: { type: 'string', minLength: 1 }, qos, retain: { type: 'boolean' } },
  },
};

export const opcuaProtocol: ProtocolSchema = {
  name: 'Opcua',
  connection: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1 },
      port: { ...port, default: 4840 },
      resourcePath: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      options: {
        type: 'object',
        additionalProperties: false,
        properties: {
          securityMode: { enum: ['None', 'Sign', 'SignAndEncrypt'] },
          securityPolicy: {
            enum: ['None', 'Basic128Rsa15', 'Basic256', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'],
          },
        },
      },
      userCertificate: { ...pem, description: 'X.509 user identity: the certificate, with userPrivateKey.' },
      userPrivateKey: pem,
      trustAllCertificates: { type: 'boolean', description: 'Accept a server certificate that is not trusted yet.' },
      pkiDir: { type: 'string', description: "Folder of the client's application certificate and the trusted and rejected server certificates." },
      keepAliveInterval: { type: 'number', minimum: 0, description: 'Milliseconds.' },
      requestTimeout: { type: 'number', minimum: 0, description: 'Milliseconds.' },
      applicationName: { type: 'string' },
    },
  },
  address: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['nodeId'] }, { required: ['browsePath'] }],
    properties: {
      nodeId: { type: 'string', minLength: 1 },
      browsePath: { type: 'string', minLength: 1 },
      browsePathPrefix: { type: 'string' },
      nodeType: { enum: ['Object', 'Variable', 'Method'] },
      publishInterval: { ...interval, default: 1000 },
      samplingInterval: { type: 'integer', minimum: 0 },
      queueSize: { type: 'integer', minimum: 1 },
      interval: { ...interval, description: 'Kept for files of the reference design: the publish interval.' },
    },
  },
};
