import type { ConnectorFactory } from '@iiot/core';
import { RuntimeError } from './errors.js';

/** Connector factories by protocol name (`Mqtt`, `Opcua` …); protocol names compare case-insensitively. */
export interface ConnectorRegistry {
  /** Adds a factory; a second factory for the same protocol replaces the first. */
  register(factory: ConnectorFactory): void;
  /** The factory for a protocol; throws `PROTOCOL_UNKNOWN` listing the registered ones. */
  get(protocol: string, where?: string): ConnectorFactory;
  has(protocol: string): boolean;
  /** Registered protocol names as their factories spell them. */
  protocols(): string[];
}

/** Creates a registry holding the given factories. */
export function createConnectorRegistry(factories: Iterable<ConnectorFactory> = []): ConnectorRegistry {
  const byKey = new Map<string, ConnectorFactory>();
  const registry: ConnectorRegistry = {
    register(factory) {
      byKey.set(factory.protocol.toLowerCase(), factory);
    },
    get(protocol, where) {
      const factory = byKey.get(protocol.toLowerCase());
      if (factory) return factory;
      throw new RuntimeError(
        'PROTOCOL_UNKNOWN',
        `No connector for protocol "${protocol}"${where ? ` (${where})` : ''}. Registered protocols: ${registry.protocols().join(', ') || 'none'}; register a ConnectorFactory for it in createRuntime({ connectors }).`,
      );
    },
    has: (protocol) => byKey.has(protocol.toLowerCase()),
    protocols: () => [...byKey.values()].map((f) => f.protocol),
  };
  for (const factory of factories) registry.register(factory);
  return registry;
}
