import { redactText } from '@iiot/core';
import { LineCounter, type Node, type Pair, type YAMLMap, isMap, isScalar, parseDocument } from 'yaml';
import type { CommissioningIssue } from '../errors.js';
import { metadataSchema } from '../builtin-schemas.js';
import type { SchemaRegistry } from '../registry.js';
import type { ServiceDefinition, ServiceMetadata } from '../types.js';
import { type ReferenceTarget, validateWith } from './ajv.js';
import { buildDefinition } from './build.js';
import type { CheckContext } from './checks.js';
import { orderByDependencies } from './graph.js';
import { didYouMean } from './names.js';
import { resolveParameters } from './parameters.js';
import { type Binding, Resolver } from './resolve.js';
import { type RawResource, checkResource } from './resources.js';
import { reportSchemaErrors } from './schema-errors.js';
import { IssueCollector, locate } from './source.js';

/** Everything `analyze` needs, defaults already applied. */
export interface AnalyzeOptions {
  readonly file: string;
  readonly serviceId: string | undefined;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly registry: SchemaRegistry;
  readonly broker: { readonly host: string; readonly port: number; readonly user?: string; readonly password?: string };
  readonly maxBytes: number;
  readonly maxAliasNodes: number;
}

const TOP_LEVEL = ['description', 'metadata', 'parameters', 'definitions', 'resources'];
const RESOURCE_KEYS = ['type', 'properties'];
const ID = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const NO_TARGETS = new Map<string, ReferenceTarget>();
const customTags = ['!ref', '!sub'].map((tag) => ({ tag, resolve: (text: string) => text }));

/** Parses, resolves and validates; returns the definition only when there is no issue. */
export function analyze(text: string, o: AnalyzeOptions): { issues: CommissioningIssue[]; definition?: ServiceDefinition } {
  const lines = new LineCounter();
  const issues = new IssueCollector(o.file, lines);
  if (Buffer.byteLength(text) > o.maxBytes) {
    issues.report('DOCUMENT_TOO_LARGE', 0, [], `The file is larger than ${o.maxBytes} bytes.`, 'split it into several services');
    return { issues: issues.issues };
  }
  const doc = parseDocument(text, { lineCounter: lines, customTags, uniqueKeys: true, prettyErrors: false });
  for (const e of doc.errors) {
    const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    let at = e.pos[0];
    while (text[at] === ' ' || text[at] === '\t') at++; // point at the offending token, not its indentation
    issues.report(e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX', at, [], `${message}.`);
  }
  // After a syntax error the structure is unreliable: what follows would be guesses, so stop at the syntax.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return { issues: issues.issues };
  const root = doc.contents;
  if (!isMap(root)) {
    issues.report('YAML_SYNTAX', root, [], 'A commissioning file is a map with metadata and resources.');
    return { issues: issues.issues };
  }
  const section = (name: string) => root.items.find((p) => isScalar(p.key) && p.key.value === name) as Pair<Node, Node> | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!TOP_LEVEL.includes(key)) {
      issues.report('UNKNOWN_PROPERTY', pair.key as Node, [key], `Unknown top-level key "${key}".`, didYouMean(key, TOP_LEVEL) ?? `allowed: ${TOP_LEVEL.join(', ')}`);
    }
  }
  const metadataPair = section('metadata');
  if (!metadataPair) issues.report('MISSING_PROPERTY', root, [], 'The file has no metadata; it needs at least metadata.name.', 'add metadata: { name: … }');

  const serviceId = o.serviceId ?? deriveServiceId(locate(metadataPair?.value, ['name']));
  const nameNode = locate(metadataPair?.value, ['name']);
  if ((o.serviceId !== undefined || (isScalar(nameNode) && nameNode !== metadataPair?.value)) && !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(serviceId)) {
    const given = o.serviceId !== undefined;
    issues.report(
      'SERVICE_ID_INVALID',
      given ? 0 : (locate(metadataPair?.value, ['name']) ?? metadataPair?.key),
      given ? [] : ['metadata', 'name'],
      given ? `The service id "${serviceId}" is not valid.` : 'metadata.name gives no service id: it has no letters or digits.',
      'a service id is letters, digits, - and _',
    );
  }

  const bindings = new Map<string, Binding>();
  const resolver = new Resolver({ text, doc, issues, serviceId, bindings, maxAliasNodes: o.maxAliasNodes, maxDepth: 100 });
  const definitionsNode = section('definitions')?.value;
  const resourcesNode = section('resources')?.value;
  const parametersPair = section('parameters');
  const declare = (pair: Pair, sectionName: string, binding: (name: string) => Binding) => {
    const keyNode = pair.key as Node;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    if (name === '__proto__') {
      issues.report('FORBIDDEN_KEY', keyNode, [sectionName, name], 'The name __proto__ is not allowed.', 'rename it');
      return;
    }
    const existing = bindings.get(name);
    if (existing) {
      issues.report('DUPLICATE_NAME', keyNode, [sectionName, name], `The name ${name} is declared more than once across parameters, definitions and resources.`, 'give each its own name');
      return;
    }
    bindings.set(name, binding(name));
  };
  for (const [name, node] of [['definitions', definitionsNode], ['resources', resourcesNode], ['parameters', parametersPair?.value]] as const) {
    if (node !== undefined && node !== null && !isMap(node)) issues.report('INVALID_VALUE', node, [name], `${name} must be a map of names.`);
  }
  if (isMap(definitionsNode)) for (const pair of definitionsNode.items) declare(pair, 'definitions', () => ({ kind: 'definition', node: pair.value as Node }));
  if (isMap(resourcesNode)) {
    for (const pair of resourcesNode.items) {
      const type = locate(pair.value as Node, ['type']);
      declare(pair, 'resources', (id) => ({ kind: 'resource', id, type: isScalar(type) ? String(type.value) : '' }));
    }
  }
  const params = resolveParameters(parametersPair?.value, o.parameters, resolver, issues, parametersPair?.key as Node);
  if (isMap(parametersPair?.value)) {
    for (const pair of (parametersPair.value as YAMLMap).items) {
      declare(pair, 'parameters', (name) => ({ kind: 'value', value: params.parameters[name]?.value, secret: params.secretNames.has(name) }));
    }
  }
  for (const [name, parameter] of Object.entries(params.parameters)) {
    if (params.secretNames.has(name) && typeof parameter.value === 'string') resolver.markSecret(parameter.value);
  }
  const pseudo: [string, unknown, boolean, string?][] = [
    ['ServiceId', serviceId, false],
    ['MqttRoot', `services/${serviceId}`, false],
    ['MqttHost', o.broker.host, false],
    ['MqttPort', o.broker.port, false],
    ['MqttUser', o.broker.user ?? serviceId, false],
    ['MqttPassword', o.broker.password, true, o.broker.password === undefined ? 'pass broker.password in the options (the runtime does)' : undefined],
  ];
  for (const [name, value, secret, missing] of pseudo) bindings.set(`Cybus::${name}`, { kind: 'value', value, secret, missing });
  if (o.broker.password !== undefined) resolver.markSecret(o.broker.password);
  resolver.resolveDefinitions();

  const description = resolver.value(section('description')?.value, ['description']);
  const metadata = (metadataPair ? resolver.value(metadataPair.value, ['metadata']) : {}) as ServiceMetadata;
  if (metadataPair) {
    reportSchemaErrors(validateWith(metadataSchema, metadata, NO_TARGETS), { issues, root: metadataPair.value, path: ['metadata'], subject: 'metadata' });
  }

  const raw: RawResource[] = [];
  const dependsOn = new Map<string, string[]>();
  const external = new Map<string, RawResourceRefs>();
  if (isMap(resourcesNode)) {
    for (const pair of resourcesNode.items) {
      const resource = readResource(pair as Pair<Node, Node>, resolver, issues);
      if (!resource || !bindings.has(resource.raw.id) || dependsOn.has(resource.raw.id)) continue;
      raw.push(resource.raw);
      dependsOn.set(resource.raw.id, resource.refs.local);
      external.set(resource.raw.id, resource.refs);
    }
  }
  const targets = new Map<string, ReferenceTarget>();
  for (const r of raw) targets.set(r.id, { type: r.type, protocol: typeof r.properties.protocol === 'string' ? r.properties.protocol : undefined });
  const ctx: CheckContext = { text, issues, jsonataCache: new Map() };
  for (const r of raw) checkResource(ctx, o.registry, targets, r);
  const order = orderByDependencies(
    raw.map((r) => r.id),
    dependsOn,
    (cycle) =>
      issues.report(
        'REFERENCE_CYCLE',
        raw.find((r) => r.id === cycle[0])?.keyNode,
        ['resources', cycle[0]!],
        `Resources refer to each other in a cycle: ${cycle.join(' → ')}.`,
        'remove one of the references; a resource can only use resources that do not use it',
      ),
  );

  const secrets = [...resolver.secrets].filter((s) => s.length > 0);
  const out = issues.issues
    .map((issue) => {
      const message = redactText(issue.message, { secrets });
      return issue.hint === undefined ? { ...issue, message } : { ...issue, message, hint: redactText(issue.hint, { secrets }) };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
  if (out.length) return { issues: out };
  return {
    issues: out,
    definition: buildDefinition({ serviceId, file: o.file, description, metadata, parameters: params.parameters, raw, order, external, lines }),
  };
}

/** References of one resource, split into this file's resources and other services'. */
export interface RawResourceRefs {
  readonly local: string[];
  readonly external: { readonly kind: 'external'; readonly service: string; readonly id: string }[];
}

function readResource(pair: Pair<Node, Node>, resolver: Resolver, issues: IssueCollector): { raw: RawResource; refs: RawResourceRefs } | undefined {
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
  const external: RawResourceRefs['external'] = [];
  for (const ref of resolver.references) {
    if (ref.kind === 'resource') local.add(ref.id);
    else if (!external.some((e) => e.service === ref.service && e.id === ref.id)) external.push(ref);
  }
  return {
    raw: { id, keyNode: pair.key, type: typeNode.value, typeNode, propertiesNode: propertiesNode === node ? pair.key : propertiesNode, properties: properties as Record<string, unknown> },
    refs: { local: [...local], external },
  };
}

function deriveServiceId(name: Node | null | undefined): string {
  return isScalar(name) ? String(name.value).toLowerCase().replace(/[^a-z0-9]/g, '') : '';
}
