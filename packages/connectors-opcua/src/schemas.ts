const milliseconds = { type: 'number', minimum: 0 } as const;

/** JSON Schema of an Opcua connection's `connection` properties. */
export const opcuaConnectionSchema: Record<string, unknown> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Opcua connection',
  type: 'object',
  required: ['host'],
  properties: {
    host: { type: 'string', minLength: 1, description: 'OPC UA server host name or address' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 4840 },
    resourcePath: { type: 'string', default: '', description: 'path after the port in the endpoint URL' },
    username: { type: 'string' },
    password: { type: 'string' },
    userCertificate: { type: 'string', description: 'PEM text' },
    userPrivateKey: { type: 'string', description: 'PEM text' },
    options: {
      type: 'object',
      properties: {
        securityMode: { enum: ['None', 'Sign', 'SignAndEncrypt'], default: 'None' },
        securityPolicy: {
          enum: ['None', 'Basic128Rsa15', 'Basic256', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'],
        },
      },
    },
    trustAllCertificates: { type: 'boolean', default: false },
    pkiDir: { type: 'string' },
    connectionStrategy: {
      type: 'object',
      properties: {
        initialDelay: { ...milliseconds, default: 1000 },
        maxDelay: { ...milliseconds, default: 30000 },
        incrementFactor: { type: 'number', minimum: 1, default: 2 },
      },
    },
    keepAliveInterval: { ...milliseconds, default: 5000 },
    requestTimeout: { ...milliseconds, default: 10000 },
    applicationName: { type: 'string', default: 'iiot-gateway' },
  },
  dependencies: {
    username: ['password'],
    password: ['username'],
    userCertificate: ['userPrivateKey'],
    userPrivateKey: ['userCertificate'],
  },
};

/** JSON Schema of an Opcua endpoint's `subscribe` / `read` / `write` address. */
export const opcuaAddressSchema: Record<string, unknown> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Opcua endpoint address',
  type: 'object',
  oneOf: [{ required: ['nodeId'] }, { required: ['browsePath'] }],
  properties: {
    nodeId: { type: 'string', minLength: 1, description: 'like ns=2;s=Machine.Temperature' },
    browsePath: { type: 'string', minLength: 1, description: 'relative path from Root, like /Objects/2:Machine/2:Temperature' },
    publishInterval: { ...milliseconds, default: 1000 },
    samplingInterval: { ...milliseconds, description: 'defaults to publishInterval' },
    interval: { ...milliseconds, description: 'alias of samplingInterval' },
    queueSize: { type: 'integer', minimum: 1, default: 1 },
  },
};
