import { formatIssue, opcuaProtocol, validateCommissioning } from '@iiot/commissioning';
import { createOpcuaConnectorFactory } from '@iiot/connectors-opcua/factory';
import { describe, expect, it } from 'vitest';

type Properties = { properties: Record<string, { properties?: Record<string, unknown> }> };

const file = (connection: string) => `description: opcua
metadata:
  name: opcua
resources:
  plc:
    type: Cybus::Connection
    properties:
      protocol: Opcua
      connection:
        host: 127.0.0.1
${connection}`;

describe('the Opcua connection schema of commissioning files', () => {
  // The file schema is the one files are validated against; the connector gets what passes. A property only
  // the connector knows would be refused in files, one only the file schema knows would be silently ignored.
  it('names exactly the properties the OPC UA connector takes', () => {
    const fileSchema = opcuaProtocol.connection as Properties;
    const connectorSchema = createOpcuaConnectorFactory().connectionSchema as Properties;
    const names = (schema: Properties) => Object.keys(schema.properties).filter((name) => name !== 'connectionStrategy').sort();
    expect(names(fileSchema)).toStrictEqual(names(connectorSchema));
    expect(Object.keys(fileSchema.properties.options!.properties!).sort()).toStrictEqual(
      Object.keys(connectorSchema.properties.options!.properties!).sort(),
    );
  });

  it('accepts the connector options and refuses an unknown one with its position', () => {
    const valid = validateCommissioning(
      file('        trustAllCertificates: true\n        keepAliveInterval: 2000\n        requestTimeout: 5000\n        applicationName: line-4\n'),
      { fileName: 'plc.yaml' },
    );
    expect(valid.issues).toStrictEqual([]);
    const invalid = validateCommissioning(file('        clientCert: "-----BEGIN CERTIFICATE-----"\n'), { fileName: 'plc.yaml' });
    expect(invalid.issues).toMatchObject([{ code: 'UNKNOWN_PROPERTY', line: 11, column: 9, message: expect.stringContaining('"clientCert"') }]);
    expect(formatIssue(invalid.issues[0]!)).toContain('userCertificate');
  });
});
