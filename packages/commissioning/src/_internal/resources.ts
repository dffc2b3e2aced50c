import { type Node, type Pair, isMap, isScalar } from 'yaml';
import type { SchemaRegistry } from '../registry.js';
import { type ReferenceTarget, validateWith } from './ajv.js';
import { type CheckContext, checkFilter, checkRules, checkTemplate, checkTopic } from './checks.js';
import type { ExternalReference } from '../types.js';
import { didYouMean } from './names.js';
import type { Resolver } from './resolve.js';
import { keyNode, reportSchemaErrors } from './schema-errors.js';
import { type IssueCollector, type Segments, locate } from './source.js';

type Obj = Record<string, unknown>;

/** A resource as read from the file, before validation. */
export interface RawResource {
  readonly id: string;
  /** The resource's key in `resources`, where it is declared. */
  readonly keyNode: Node;
  readonly type: string;
  readonly typeNode: Node | null | undefined;
  /** The `properties` map, or the resource's key when there is none. */
  readonly propertiesNode: Node | null | undefined;
  readonly properties: Obj;
  /** Ids of this file's resources it references (itself included when it does). */
  readonly dependsOn: readonly string[];
  readonly externalReferences: readonly ExternalReference[];
}

const ADDRESS_KEYS = ['subscribe', 'read', 'write'] as const;
const RESOURCE_KEYS = ['type', 'properties'];
const ID = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Reads one entry of `resources`: its id, type and resolved properties, with the references they make. */
export function readResource(pair: Pair<Node, Node>, resolver: Resolver, issues: IssueCollector): RawResource | undefined {
  const id = isScalar(pair.key) ? String(pair.key.value) : '';
  const path = ['resources', id];
  if (!ID.test(id)) {
    issues.report('INVALID_VALUE', pair.key, path, `"${id}" is not a valid resource id.`, 'a resource id is letters, digits, - and _');
    return undefined;
  }
  const node = pair.value;
  if (!isMap(node)) {
    issues.report('INVALID_VALUE', node ?? pair.key, path, `Resource ${id} must be a map with type and properties.`);
    return undefined;
  }
  for (const p of node.items) {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    if (!RESOURCE_KEYS.includes(key)) {
      issues.report('UNKNOWN_PROPERTY', p.key as Node, [...path, key], `Unknown key "${key}" in resource ${id}.`, didYouMean(key, RESOURCE_KEYS) ?? 'a resource has only type and properties');
    }
  }
  const typeNode = locate(node, ['type']);
  if (typeNode === node || !isScalar(typeNode) || typeof typeNode.value !== 'string') {
    issues.report('MISSING_PROPERTY', typeNode === node ? pair.key : typeNode, [...path, 'type'], `Resource ${id} needs a type, for example Cybus::Connection.`);
    return undefined;
  }
  const propertiesNode = locate(node, ['properties']);
  resolver.references = [];
  const value = propertiesNode === node ? {} : resolver.value(propertiesNode, [...path, 'properties']);
  const properties = value === null || value === undefined ? {} : value;
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    issues.report('INVALID_VALUE', propertiesNode, [...path, 'properties'], `properties of resource ${id} must be a map.`);
    return undefined;
  }
  const local = new Set<string>();
  const external: ExternalReference[] = [];
  for (const ref of resolver.references) {
    if (ref.kind === 'resource') local.add(ref.id);
    else if (!external.some((e) => e.service === ref.service && e.id === ref.id)) external.push(ref);
  }
  return {
    id,
    keyNode: pair.key,
    type: typeNode.value,
    typeNode,
    propertiesNode: propertiesNode === node ? pair.key : propertiesNode,
    properties: properties as Obj,
    dependsOn: [...local],
    externalReferences: external,
  };
}

/** Validates one resource's properties against its registered schema, then its topics and rules. */
export function checkResource(
  ctx: CheckContext,
  registry: SchemaRegistry,
  targets: ReadonlyMap<string, ReferenceTarget>,
  r: RawResource,
): void {
  const base: Segments = ['resources', r.id, 'properties'];
  if (!registry.hasResourceType(r.type)) {
    const known = registry.resourceTypeNames();
    ctx.issues.report(
      'UNKNOWN_RESOURCE_TYPE',
      r.typeNode,
      ['resources', r.id, 'type'],
      `Resource ${r.id} has the unknown type ${r.type}; registered types: ${known.join(', ')}.`,
      didYouMean(r.type, known) ?? 'register the type, or use one of the registered types',
    );
    return;
  }
  const byProtocol = r.type === 'Cybus::Connection' || r.type === 'Cybus::Endpoint';
  const protocol = r.properties.protocol;
  if (byProtocol && typeof protocol === 'string' && registry.propertiesSchema(r.type, protocol) === undefined) {
    const known = registry.protocolNames();
    ctx.issues.report(
      'UNKNOWN_PROTOCOL',
      locate(r.propertiesNode, ['protocol']),
      [...base, 'protocol'],
      `Resource ${r.id} uses the unknown protocol ${protocol}; registered protocols: ${known.join(', ')}.`,
      didYouMean(protocol, known) ?? 'register a connector for it, or use one of the registered protocols',
    );
    return;
  }
  if (byProtocol && typeof protocol !== 'string') {
    const missing = protocol === undefined;
    ctx.issues.report(
      missing ? 'MISSING_PROPERTY' : 'INVALID_VALUE',
      missing ? r.propertiesNode : locate(r.propertiesNode, ['protocol']),
      missing ? base : [...base, 'protocol'],
      missing ? `Resource ${r.id} is missing the required property "protocol".` : `protocol of resource ${r.id} must be a name.`,
      `one of ${registry.protocolNames().join(', ')}`,
    );
    return;
  }
  const schema = registry.propertiesSchema(r.type, protocol as string)!;
  const errors = validateWith(schema, r.properties, targets);
  reportSchemaErrors(errors, { issues: ctx.issues, root: r.propertiesNode, path: base, subject: `properties of ${r.id}` });
  if (r.type === 'Cybus::Endpoint') checkEndpoint(ctx, r, base);
  else if (r.type === 'Cybus::Mapping') checkMapping(ctx, r, base);
  else if (r.type === 'Cybus::User' || r.type === 'Cybus::Role') checkPermissions(ctx, r, base);
}

function checkEndpoint(ctx: CheckContext, r: RawResource, base: Segments): void {
  const present = ADDRESS_KEYS.filter((k) => Object.hasOwn(r.properties, k));
  if (present.length !== 1) {
    ctx.issues.report(
      present.length === 0 ? 'MISSING_PROPERTY' : 'CONFLICTING_PROPERTIES',
      present.length === 0 ? r.propertiesNode : keyNode(r.propertiesNode, present[1]!),
      base,
      present.length === 0
        ? `Endpoint ${r.id} needs one of subscribe, read or write.`
        : `Endpoint ${r.id} has ${present.join(' and ')}; an endpoint has exactly one of subscribe, read or write.`,
      present.length === 0 ? 'add subscribe:, read: or write: with the address' : 'split it into one endpoint per access',
    );
  }
  const address = present.length === 1 ? (r.properties[present[0]!] as Obj | undefined) : undefined;
  if (r.properties.protocol === 'Mqtt' && address && typeof address === 'object') {
    const path = [...base, present[0]!, 'topic'];
    const node = locate(r.propertiesNode, [present[0]!, 'topic']);
    if (present[0] === 'write') checkTopic(ctx, address.topic, node, path);
    else checkFilter(ctx, address.topic, node, path);
  }
  checkTopic(ctx, r.properties.topic, locate(r.propertiesNode, ['topic']), [...base, 'topic']);
  checkRules(ctx, r.properties.rules, locate(r.propertiesNode, ['rules']), [...base, 'rules']);
}

function checkMapping(ctx: CheckContext, r: RawResource, base: Segments): void {
  const mappings = r.properties.mappings;
  if (!Array.isArray(mappings)) return;
  mappings.forEach((entry: Obj, i) => {
    if (!entry || typeof entry !== 'object') return;
    const path: Segments = [...base, 'mappings', i];
    const node = locate(r.propertiesNode, ['mappings', i]);
    const names = new Set<string>();
    const subscribe = entry.subscribe;
    const subs: Obj[] = Array.isArray(subscribe) ? subscribe : subscribe === undefined ? [] : [subscribe as Obj];
    subs.forEach((sub: Obj, j) => {
      if (!sub || typeof sub !== 'object') return;
      const at: Segments = Array.isArray(subscribe) ? ['subscribe', j] : ['subscribe'];
      if (!Object.hasOwn(sub, 'topic') && !Object.hasOwn(sub, 'endpoint')) {
        ctx.issues.report('MISSING_PROPERTY', locate(node, at), [...path, ...at], 'A subscription needs a topic or an endpoint.', 'add topic: or endpoint: !ref …');
      }
      for (const name of checkFilter(ctx, sub.topic, locate(node, [...at, 'topic']), [...path, ...at, 'topic'])) names.add(name);
    });
    for (const name of checkRules(ctx, entry.rules, locate(node, ['rules']), [...path, 'rules'])) names.add(name);
    const publish = entry.publish as Obj | undefined;
    if (!publish || typeof publish !== 'object') return;
    if (!Object.hasOwn(publish, 'topic') && !Object.hasOwn(publish, 'endpoint')) {
      ctx.issues.report('MISSING_PROPERTY', locate(node, ['publish']), [...path, 'publish'], 'publish needs a topic or an endpoint.', 'add topic: or endpoint: !ref …');
    }
    // A subscription topic that did not resolve was reported already; its captures are unknown.
    if (subs.some((sub) => sub && Object.hasOwn(sub, 'topic') && typeof sub.topic !== 'string')) return;
    checkTemplate(ctx, publish.topic, names, locate(node, ['publish', 'topic']), [...path, 'publish', 'topic']);
  });
}

function checkPermissions(ctx: CheckContext, r: RawResource, base: Segments): void {
  const permissions = r.properties.permissions;
  if (!Array.isArray(permissions)) return;
  permissions.forEach((p: Obj, i) => {
    if (p && typeof p === 'object' && (p.context ?? 'mqtt') === 'mqtt') {
      checkFilter(ctx, p.resource, locate(r.propertiesNode, ['permissions', i, 'resource']), [...base, 'permissions', i, 'resource']);
    }
  });
}
