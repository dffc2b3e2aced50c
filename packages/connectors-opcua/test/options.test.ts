import { DataType, StatusCodes, Variant, VariantArrayType, DataValue } from 'node-opcua-client';
import { describe, expect, it } from 'vitest';
import { toVariant } from '../src/_internal/to-variant.js';
import { backoffDelay } from '../src/connection-options.js';
import { toDataMessage } from '../src/data-message.js';
import { createOpcuaConnectorFactory, isOpcuaError, resolveAddress, resolveConnectionOptions } from '../src/index.js';

describe('resolveConnectionOptions', () => {
  it('builds the endpoint URL and applies defaults', () => {
    const resolved = resolveConnectionOptions({ host: 'plc.local', resourcePath: '/UA/Server' });
    expect(resolved).toMatchObject({
      endpointUrl: 'opc.tcp://plc.local:4840/UA/Server',
      securityMode: 'None',
      securityPolicy: 'None',
      connectionStrategy: { initialDelay: 1000, maxDelay: 30_000, incrementFactor: 2 },
      keepAliveInterval: 5000,
    });
    expect(resolveConnectionOptions({ host: '::1', port: 4841 }).endpointUrl).toBe('opc.tcp://[::1]:4841');
    expect(resolveConnectionOptions({ host: 'h', options: { securityMode: 'SignAndEncrypt' } }).securityPolicy).toBe('Basic256Sha256');
  });

  it.each([
    [{ host: '' }, '`host` is required'],
    [{ host: 'h', port: 70000 }, '`port` must be'],
    [{ host: 'h', options: { securityMode: 'Encrypt' } }, 'securityMode'],
    [{ host: 'h', options: { securityMode: 'None', securityPolicy: 'Basic256Sha256' } }, 'cannot go with'],
    [{ host: 'h', username: 'u' }, '`username` and `password` go together'],
  ])('refuses %j naming the property', (options, message) => {
    expect(() => resolveConnectionOptions(options as never, 'connection plc')).toThrow(message);
    try {
      resolveConnectionOptions(options as never);
    } catch (error) {
      expect(isOpcuaError(error, 'OPCUA_CONFIG_INVALID')).toBe(true);
    }
  });

  it('backs off by the increment factor up to the maximum', () => {
    const strategy = { initialDelay: 1000, maxDelay: 30_000, incrementFactor: 2 };
    expect([0, 1, 2, 5, 10].map((n) => backoffDelay(strategy, n))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });
});

describe('resolveAddress', () => {
  it('defaults samplingInterval to publishInterval and accepts interval as its alias', () => {
    expect(resolveAddress({ nodeId: 'ns=2;i=1001' })).toMatchObject({ publishInterval: 1000, samplingInterval: 1000, queueSize: 1, label: 'ns=2;i=1001' });
    expect(resolveAddress({ nodeId: 'ns=2;i=1001', interval: 5000 }).samplingInterval).toBe(5000);
    expect(resolveAddress({ browsePath: '/Objects/2:M', publishInterval: 200 })).toMatchObject({ samplingInterval: 200, label: '/Objects/2:M' });
  });

  it('refuses an address without a node, with both, or with a bad interval', () => {
    expect(() => resolveAddress({})).toThrow('exactly one of');
    expect(() => resolveAddress({ nodeId: 'i=1', browsePath: '/Objects' })).toThrow('exactly one of');
    expect(() => resolveAddress({ nodeId: 'i=1', publishInterval: -1 })).toThrow('`publishInterval`');
  });
});

describe('data messages', () => {
  it('carry the value, status code name and source timestamp', () => {
    const source = new Date('2026-01-02T03:04:05.000Z');
    const dv = new DataValue({ value: new Variant({ dataType: DataType.Double, value: 1.5 }), statusCode: StatusCodes.UncertainLastUsableValue, sourceTimestamp: source });
    expect(toDataMessage(dv, 42)).toEqual({ timestamp: 42, value: 1.5, statusCode: 'UncertainLastUsableValue', sourceTimestamp: source.getTime() });
  });

  it('give a Bad value as null and turn arrays and 64-bit integers into plain data', () => {
    const bad = new DataValue({ value: new Variant({ dataType: DataType.Double, value: 3 }), statusCode: StatusCodes.BadSensorFailure });
    expect(toDataMessage(bad, 1)).toEqual({ timestamp: 1, value: null, statusCode: 'BadSensorFailure' });
    const array = new DataValue({ value: new Variant({ dataType: DataType.Float, arrayType: VariantArrayType.Array, value: [1, 2] }) });
    expect(toDataMessage(array, 1).value).toEqual([1, 2]);
    const big = new DataValue({ value: new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] }) });
    expect(toDataMessage(big, 1).value).toBe(2 ** 32 + 5);
  });
});

describe('toVariant', () => {
  it('converts JSON values to the variable data type', () => {
    expect(toVariant(DataType.Double, -1, '2.5').value).toBe(2.5);
    expect(toVariant(DataType.Boolean, -1, 'true').value).toBe(true);
    expect(toVariant(DataType.Int32, 1, [1, 2]).arrayType).toBe(VariantArrayType.Array);
    expect(toVariant(DataType.DateTime, -1, '2026-01-01T00:00:00Z').value).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('says what does not fit', () => {
    expect(() => toVariant(DataType.Double, -1, 'warm')).toThrow('Double needs a number');
    expect(() => toVariant(DataType.Boolean, -1, 'yes')).toThrow('Boolean needs true or false');
    expect(() => toVariant(DataType.Int32, 1, 3)).toThrow('send a JSON array');
  });
});

describe('createOpcuaConnectorFactory', () => {
  it('registers as the Opcua protocol with its schemas', () => {
    const factory = createOpcuaConnectorFactory();
    expect(factory.protocol).toBe('Opcua');
    expect(factory.connectionSchema).toMatchObject({ required: ['host'] });
    expect(factory.addressSchema).toMatchObject({ oneOf: [{ required: ['nodeId'] }, { required: ['browsePath'] }] });
  });
});
