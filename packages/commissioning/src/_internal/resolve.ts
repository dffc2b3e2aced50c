import { type Alias, type Node, type Scalar, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { ExternalReference, Reference, ResourceReference } from '../types.js';
import { closest, didYouMean, isSecretName } from './names.js';
import { type IssueCollector, type Segments, scalarSourceOffset } from './source.js';

/** What a name used by `!ref` or `${…}` stands for. */
export type Binding =
  | { readonly kind: 'value'; readonly value: unknown; readonly secret: boolean; readonly missing?: string }
  | { readonly kind: 'definition'; readonly node: Node | null }
  | { readonly kind: 'resource'; readonly id: string; readonly type: string };

export interface ResolverOptions {
  readonly text: string;
  readonly doc: Document;
  readonly issues: IssueCollector;
  readonly serviceId: string;
  /** Parameters, definitions, resources and pseudo parameters by name. */
  readonly bindings: ReadonlyMap<string, Binding>;
  /** Nodes that may be produced through aliases before the document is rejected as an alias bomb. */
  readonly maxAliasNodes: number;
  /** Deepest nesting accepted. */
  readonly maxDepth: number;
}

const STANDARD_TAG = 'tag:yaml.org,2002:';
const SUB = /\$\{([^}]*)\}/g;

/** Turns YAML nodes into plain values, applying `!ref` and `!sub`, and reporting what it cannot resolve. */
export class Resolver {
  /** Secret strings met so far (values of password-like keys, parameters and definitions). */
  readonly secrets = new Set<string>();
  /** References met while resolving the current resource. */
  references: Reference[] = [];
  private readonly definitions = new Map<string, { value: unknown; references: Reference[] }>();
  private readonly resolving: string[] = [];
  private readonly aliasTargets = new Map<Alias, Node | null>();
  private aliasNodes = 0;
  private outerAlias: Alias | undefined;
  /** Set once the document is refused as hostile: nothing more is resolved or reported. */
  private refused = false;

  constructor(private readonly o: ResolverOptions) {}

  /** The plain value of `node`; `undefined` marks a value that could not be resolved (already reported). */
  value(node: unknown, path: Segments, depth = 0, aliased = false): unknown {
    if (this.refused) return undefined;
    if (depth > this.o.maxDepth) {
      this.refuse(node, path, `The document nests deeper than ${this.o.maxDepth} levels.`, 'flatten it', 'DOCUMENT_TOO_LARGE');
      return undefined;
    }
    if (aliased && ++this.aliasNodes > this.o.maxAliasNodes) {
      this.refuse(
        this.outerAlias ?? node,
        path,
        `Aliases expand to more than ${this.o.maxAliasNodes} nodes; the document is refused as an alias bomb.`,
        'write the values out or use fewer nested aliases',
        'ALIAS_LIMIT',
      );
      return undefined;
    }
    if (isAlias(node)) {
      if (!aliased) this.outerAlias = node; // the alias written outside any expansion is the one to blame
      // yaml searches the whole document for an alias's anchor; remember it, an alias bomb repeats each alias.
      let target = this.aliasTargets.get(node);
      if (target === undefined) {
        target = node.resolve(this.o.doc) ?? null;
        this.aliasTargets.set(node, target);
      }
      return this.value(target, path, depth + 1, true);
    }
    if (isScalar(node)) return this.scalar(node, path);
    if (isMap(node) || isSeq(node)) {
      if (node.tag && !node.tag.startsWith(STANDARD_TAG)) this.reportTag(node, path, node.tag);
      if (isSeq(node)) return node.items.map((item, i) => this.value(item, [...path, i], depth + 1, aliased));
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          this.o.issues.report('YAML_SYNTAX', keyNode, path, 'A key must be a plain value, not a list or a map.');
          continue;
        }
        if (key === '__proto__') {
          this.o.issues.report('FORBIDDEN_KEY', keyNode, [...path, key], 'The key __proto__ is not allowed.', 'rename or remove it');
          continue;
        }
        const v = this.value(pair.value, [...path, key], depth + 1, aliased);
        if (typeof v === 'string' && isSecretName(key)) this.secrets.add(v);
        out[key] = v;
      }
      return out;
    }
    return null; // an empty value (`key:`)
  }

  private refuse(node: unknown, path: Segments, message: string, hint: string, code: 'ALIAS_LIMIT' | 'DOCUMENT_TOO_LARGE'): void {
    this.refused = true;
    this.o.issues.report(code, node as Node, path, message, hint);
  }

  private scalar(node: Scalar, path: Segments): unknown {
    const tag = node.tag;
    if (tag === '!ref') return this.ref(String(node.value ?? '').trim(), node, path);
    if (tag === '!sub') return this.sub(node, path);
    if (tag && !tag.startsWith(STANDARD_TAG)) this.reportTag(node, path, tag);
    else if (typeof node.value === 'string' && node.value.includes('${')) this.checkMissingSub(node, path);
    return node.value;
  }

  private reportTag(node: Node, path: Segments, tag: string): void {
    if (tag === '!ref' || tag === '!sub') {
      this.o.issues.report('TAG_MISPLACED', node, path, `${tag} applies to a single value, not to a list or a map.`);
      return;
    }
    const hint = didYouMean(tag, ['!ref', '!sub']) ?? 'use !ref or !sub, the only tags a commissioning file knows';
    this.o.issues.report('UNKNOWN_TAG', node, path, `Unknown tag ${tag}.`, hint);
  }

  /** The value of `!ref name`. */
  private ref(name: string, node: Node, path: Segments): unknown {
    const binding = this.o.bindings.get(name);
    if (binding) return this.bound(name, binding, node, path);
    const sep = name.indexOf('::');
    if (sep > 0 && !name.startsWith('Cybus::')) {
      const service = name.slice(0, sep);
      const id = name.slice(sep + 2);
      if (service === this.o.serviceId) return this.ref(id, node, path);
      if (id === '' || id.includes('::')) {
        this.o.issues.report('UNKNOWN_REFERENCE', node, path, `!ref ${name} is not a valid reference to another service.`, 'write !ref otherService::resourceId');
        return undefined;
      }
      const ref: ExternalReference = Object.freeze({ kind: 'external', service, id });
      this.references.push(ref);
      return ref;
    }
    this.unknown(`!ref ${name}`, name, node, path);
    return undefined;
  }

  private unknown(what: string, name: string, at: Node | number, path: Segments): void {
    const hint = didYouMean(name, this.o.bindings.keys());
    this.o.issues.report(
      'UNKNOWN_REFERENCE',
      at,
      path,
      `${what} names no parameter, definition, pseudo parameter or resource.`,
      hint ?? 'declare it under parameters, definitions or resources',
    );
  }

  private bound(name: string, binding: Binding, node: Node | number, path: Segments): unknown {
    if (binding.kind === 'resource') {
      const ref: ResourceReference = Object.freeze({ kind: 'resource', id: binding.id, type: binding.type });
      this.references.push(ref);
      return ref;
    }
    if (binding.kind === 'value') {
      if (binding.missing !== undefined) {
        this.o.issues.report('PSEUDO_PARAMETER_UNAVAILABLE', node, path, `${name} has no value here.`, binding.missing);
        return undefined;
      }
      if (binding.secret && typeof binding.value === 'string') this.secrets.add(binding.value);
      return copy(binding.value);
    }
    return copy(this.definition(name, binding.node, node, path));
  }

  /** Resolves every definition, so problems in unused ones are reported too. */
  resolveDefinitions(): void {
    for (const [name, binding] of this.o.bindings) {
      if (binding.kind !== 'definition') continue;
      const saved = this.references;
      this.definition(name, binding.node, binding.node ?? 0, ['definitions', name]);
      this.references = saved;
    }
  }

  private definition(name: string, defNode: Node | null, at: Node | number, path: Segments): unknown {
    const done = this.definitions.get(name);
    if (done) {
      this.references.push(...done.references);
      return done.value;
    }
    if (this.resolving.includes(name)) {
      const cycle = [...this.resolving.slice(this.resolving.indexOf(name)), name].join(' → ');
      this.o.issues.report('REFERENCE_CYCLE', at, path, `Definitions refer to each other in a cycle: ${cycle}.`, 'break the cycle');
      return undefined;
    }
    this.resolving.push(name);
    const saved = this.references;
    this.references = [];
    const value = this.value(defNode, ['definitions', name]);
    const references = this.references;
    this.references = saved;
    this.resolving.pop();
    if (isSecretName(name) && typeof value === 'string') this.secrets.add(value);
    this.definitions.set(name, { value, references });
    this.references.push(...references);
    return value;
  }

  /** Adds a value to the secrets removed from every message. */
  markSecret(value: unknown): void {
    if (typeof value === 'string') this.secrets.add(value);
  }

  private sub(node: Scalar, path: Segments): string | undefined {
    const template = String(node.value ?? '');
    let ok = true;
    const out = template.replace(SUB, (whole, raw: string, index: number) => {
      const name = raw.trim();
      const at = scalarSourceOffset(this.o.text, node, index);
      const binding = this.o.bindings.get(name);
      if (!binding) {
        ok = false;
        this.unknown(`\${${name}}`, name, at, path);
        return whole;
      }
      if (binding.kind === 'resource') {
        ok = false;
        this.o.issues.report('SUBSTITUTION_INVALID', at, path, `\${${name}} names a resource; !sub inserts only parameters, definitions and pseudo parameters.`, `use !ref ${name} as the whole value`);
        return whole;
      }
      const value = this.bound(name, binding, at, path);
      if (value === undefined) {
        ok = false;
        return whole;
      }
      if (value === null || typeof value === 'object') {
        ok = false;
        this.o.issues.report('SUBSTITUTION_INVALID', at, path, `\${${name}} is ${Array.isArray(value) ? 'a list' : value === null ? 'empty' : 'a map'}; only text, numbers and booleans can be inserted.`, `use !ref ${name} as the whole value`);
        return whole;
      }
      return String(value);
    });
    return ok ? out : undefined;
  }

  private checkMissingSub(node: Scalar, path: Segments): void {
    const text = String(node.value);
    for (const match of text.matchAll(SUB)) {
      const name = match[1]!.trim();
      if (!this.o.bindings.has(name) && closest(name, this.o.bindings.keys()) === undefined) continue;
      this.o.issues.report(
        'SUB_TAG_MISSING',
        node,
        path,
        `"${match[0]}" is written without !sub, so it stays literal text instead of being replaced.`,
        `write !sub '${text}'`,
      );
      return;
    }
  }
}

function copy(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Object.isFrozen(value) ? structuredClone(value) : value;
}
