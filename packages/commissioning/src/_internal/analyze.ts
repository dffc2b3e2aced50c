import { redactText } from '@iiot/core';
import { Document, LineCounter, type Node, type Pair, isMap, isScalar, parseDocument } from 'yaml';
import { metadataSchema } from '../builtin-schemas.js';
import type { CommissioningIssue } from '../errors.js';
import type { SchemaRegistry } from '../registry.js';
import type { ServiceDefinition, ServiceMetadata } from '../types.js';
import { type ReferenceTarget, validateWith } from './ajv.js';
import { buildDefinition } from './build.js';
import { orderByDependencies } from './graph.js';
import { didYouMean } from './names.js';
import { resolveParameters } from './parameters.js';
import { readPlainYaml } from './plain-yaml.js';
import { type Binding, Resolver } from './resolve.js';
import { type RawResource, checkResource, readResource } from './resources.js';
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
const SERVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const NO_TARGETS = new Map<string, ReferenceTarget>();
const customTags = ['!ref', '!sub'].map((tag) => ({ tag, resolve: (text: string) => text }));

type Sections = Partial<Record<(typeof TOP_LEVEL)[number], Pair<Node, Node>>>;

/** Parses, resolves and validates; returns the definition only when there is no issue. */
export function analyze(text: string, o: AnalyzeOptions): { issues: CommissioningIssue[]; definition?: ServiceDefinition } {
  const lines = new LineCounter();
  const issues = new IssueCollector(o.file, lines);
  if (Buffer.byteLength(text) > o.maxBytes) {
    issues.report('DOCUMENT_TOO_LARGE', 0, [], `The file is larger than ${o.maxBytes} bytes.`, 'split it into several services');
    return { issues: issues.issues };
  }
  const doc = readDocument(text, lines);
  const sections = readSections(text, doc, issues);
  if (!sections) return { issues: issues.issues };

  const serviceId = checkServiceId(o.serviceId, sections.metadata, issues);
  const bindings = new Map<string, Binding>();
  const resolver = new Resolver({ text, doc, issues, serviceId, bindings, maxAliasNodes: o.maxAliasNodes, maxDepth: 100 });
  const declare = (section: 'definitions' | 'resources' | 'parameters', binding: (name: string, value: Node) => Binding) => {
    const node = sections[section]?.value;
    if (node === undefined || node === null) return;
    if (!isMap(node)) return issues.report('INVALID_VALUE', node, [section], `${section} must be a map of names.`);
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const why = name === '__proto__' ? 'is not allowed' : bindings.has(name) ? 'is declared more than once across parameters, definitions and resources' : undefined;
      if (why) issues.report(name === '__proto__' ? 'FORBIDDEN_KEY' : 'DUPLICATE_NAME', pair.key as Node, [section, name], `The name ${name} ${why}.`, 'rename it');
      else bindings.set(name, binding(name, pair.value as Node));
    }
  };
  declare('definitions', (_name, node) => ({ kind: 'definition', node }));
  declare('resources', (id, node) => {
    const type = locate(node, ['type']);
    return { kind: 'resource', id, type: isScalar(type) ? String(type.value) : '' };
  });
  const params = resolveParameters(sections.parameters?.value, o.parameters, resolver, issues, sections.parameters?.key);
  declare('parameters', (name) => ({ kind: 'value', value: params.parameters[name]?.value, secret: params.secretNames.has(name) }));
  for (const name of params.secretNames) resolver.markSecret(params.parameters[name]?.value);
  for (const [name, binding] of pseudoParameters(serviceId, o.broker)) bindings.set(name, binding);
  resolver.markSecret(o.broker.password);
  resolver.resolveDefinitions();

  const description = resolver.value(sections.description?.value, ['description']);
  const metadata = (sections.metadata ? resolver.value(sections.metadata.value, ['metadata']) : {}) as ServiceMetadata;
  if (sections.metadata) {
    const errors = validateWith(metadataSchema, metadata, NO_TARGETS);
    reportSchemaErrors(errors, { issues, root: sections.metadata.value, path: ['metadata'], subject: 'metadata' });
  }

  const raw: RawResource[] = [];
  const read = new Set<string>();
  const resourcesNode = sections.resources?.value;
  for (const pair of isMap(resourcesNode) ? resourcesNode.items : []) {
    const resource = readResource(pair as Pair<Node, Node>, resolver, issues);
    // A name declared twice was reported when names were declared; the first declaration counts.
    if (!resource || read.has(resource.id) || bindings.get(resource.id)?.kind !== 'resource') continue;
    read.add(resource.id);
    raw.push(resource);
  }
  const targets = new Map<string, ReferenceTarget>();
  for (const r of raw) targets.set(r.id, { type: r.type, protocol: typeof r.properties.protocol === 'string' ? r.properties.protocol : undefined });
  const ctx = { text, issues, jsonataCache: new Map() };
  for (const r of raw) checkResource(ctx, o.registry, targets, r);
  const order = orderByDependencies(
    raw.map((r) => r.id),
    new Map(raw.map((r) => [r.id, r.dependsOn])),
    (cycle) =>
      issues.report(
        'REFERENCE_CYCLE',
        raw.find((r) => r.id === cycle[0])?.keyNode,
        ['resources', cycle[0]!],
        `Resources refer to each other in a cycle: ${cycle.join(' → ')}.`,
        'remove one of the references; a resource can only use resources that do not use it',
      ),
  );

  const found = redacted(issues.issues, resolver.secrets);
  if (found.length) return { issues: found };
  const definition = buildDefinition({ serviceId, file: o.file, description, metadata, parameters: params.parameters, raw, order, lines });
  return { issues: found, definition };
}

/** The document: read by the fast reader when the file is plain block YAML, else by `yaml`'s parser. */
function readDocument(text: string, lines: LineCounter): Document {
  const contents = readPlainYaml(text, lines);
  if (contents === undefined) return parseDocument(text, { lineCounter: lines, customTags, uniqueKeys: true, prettyErrors: false });
  const doc = new Document();
  doc.contents = contents;
  return doc;
}

/** The top-level sections, or undefined when the document is not usable at all (reported). */
function readSections(text: string, doc: Document, issues: IssueCollector): Sections | undefined {
  for (const e of doc.errors) {
    const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    let at = e.pos[0];
    while (text[at] === ' ' || text[at] === '\t') at++; // point at the offending token, not its indentation
    issues.report(e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX', at, [], `${message}.`);
  }
  // After a syntax error the structure is unreliable: what follows would be guesses, so stop at the syntax.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return undefined;
  const root = doc.contents;
  if (!isMap(root)) {
    issues.report('YAML_SYNTAX', root, [], 'A commissioning file is a map with metadata and resources.');
    return undefined;
  }
  const sections: Sections = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (TOP_LEVEL.includes(key)) sections[key] = pair as Pair<Node, Node>;
    else {
      const hint = didYouMean(key, TOP_LEVEL) ?? `allowed: ${TOP_LEVEL.join(', ')}`;
      issues.report('UNKNOWN_PROPERTY', pair.key as Node, [key], `Unknown top-level key "${key}".`, hint);
    }
  }
  if (!sections.metadata) issues.report('MISSING_PROPERTY', root, [], 'The file has no metadata; it needs at least metadata.name.', 'add metadata: { name: … }');
  return sections;
}

/** The service id: given, else metadata.name lower-cased without characters outside [a-z0-9]. */
function checkServiceId(given: string | undefined, metadata: Pair<Node, Node> | undefined, issues: IssueCollector): string {
  const name = metadata && isMap(metadata.value) ? locate(metadata.value, ['name']) : undefined;
  const named = isScalar(name) && name !== metadata?.value;
  const id = given ?? (named ? String(name.value).toLowerCase().replace(/[^a-z0-9]/g, '') : '');
  // Without a usable metadata.name the missing name is reported by the metadata schema.
  if ((given !== undefined || named) && !SERVICE_ID.test(id)) {
    issues.report(
      'SERVICE_ID_INVALID',
      given === undefined ? name : 0,
      given === undefined ? ['metadata', 'name'] : [],
      given === undefined ? 'metadata.name gives no service id: it has no letters or digits.' : `The service id "${id}" is not valid.`,
      'a service id is letters, digits, - and _',
    );
  }
  return id;
}

function pseudoParameters(serviceId: string, broker: AnalyzeOptions['broker']): [string, Binding][] {
  const value = (v: unknown, secret = false): Binding => ({ kind: 'value', value: v, secret });
  return [
    ['Cybus::ServiceId', value(serviceId)],
    ['Cybus::MqttRoot', value(`services/${serviceId}`)],
    ['Cybus::MqttHost', value(broker.host)],
    ['Cybus::MqttPort', value(broker.port)],
    ['Cybus::MqttUser', value(broker.user ?? serviceId)],
    [
      'Cybus::MqttPassword',
      broker.password === undefined
        ? { kind: 'value', value: undefined, secret: true, missing: 'pass broker.password in the options (the runtime does)' }
        : value(broker.password, true),
    ],
  ];
}

/** Issues with every secret removed from message and hint, in document order. */
function redacted(issues: readonly CommissioningIssue[], secrets: ReadonlySet<string>): CommissioningIssue[] {
  const options = { secrets: [...secrets].filter((s) => s.length > 0) };
  return issues
    .map((issue) => {
      const message = redactText(issue.message, options);
      return issue.hint === undefined ? { ...issue, message } : { ...issue, message, hint: redactText(issue.hint, options) };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
