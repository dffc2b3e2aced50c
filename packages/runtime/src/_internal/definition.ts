import { createSchemaRegistry, parseCommissioning, type SchemaRegistry, type ServiceDefinition } from '@iiot/commissioning';
import type { ConnectorRegistry } from '../connector-registry.js';
import type { ResourceModel } from '../resources/types.js';

/** A commissioning file resolved for the runtime: its service id and resources in dependency order. */
export interface ResolvedService {
  serviceId: string;
  definition: ServiceDefinition;
  resources: ResourceModel[];
  /** Ids of other services this one references with `!ref other::resource`. */
  requires: string[];
}

/** Values the runtime supplies for the `Cybus::Mqtt*` pseudo parameters. */
export interface BrokerPseudoParameters {
  host: string;
  port: number;
  user?: string;
  password: string;
}

/** The validator's schemas: the built-in set plus the protocols of connectors registered at run time. */
export function schemaRegistryFor(connectors: ConnectorRegistry): SchemaRegistry {
  const schemas = createSchemaRegistry();
  const known = new Set(schemas.protocolNames().map((n) => n.toLowerCase()));
  for (const name of connectors.protocols()) {
    if (known.has(name.toLowerCase())) continue;
    const factory = connectors.get(name);
    schemas.registerProtocol({
      name: factory.protocol,
      connection: factory.connectionSchema ?? { type: 'object' },
      address: factory.addressSchema ?? { type: 'object' },
    });
  }
  return schemas;
}

/** Parses, validates and resolves a commissioning file's text; throws a `CommissioningError` listing every issue. */
export function resolveService(
  source: string,
  fileName: string,
  options: { serviceId?: string; parameters: Record<string, unknown>; broker: BrokerPseudoParameters; registry: SchemaRegistry },
): ResolvedService {
  const definition = parseCommissioning(source, {
    fileName,
    parameters: options.parameters,
    broker: options.broker,
    registry: options.registry,
    ...(options.serviceId !== undefined && { serviceId: options.serviceId }),
  });
  const requires = new Set<string>();
  for (const r of definition.resources) for (const ext of r.externalReferences) requires.add(ext.service);
  return {
    serviceId: definition.serviceId,
    definition,
    resources: definition.resources.map((r) => ({ id: r.id, type: r.type, properties: r.properties as Record<string, unknown> })),
    requires: [...requires],
  };
}
