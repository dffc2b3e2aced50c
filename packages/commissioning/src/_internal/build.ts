import type { LineCounter } from 'yaml';
import type { ResolvedParameter, ResourceDefinition, ServiceDefinition, ServiceMetadata } from '../types.js';
import type { RawResource } from './resources.js';
import { nodeOffset } from './source.js';

export interface BuildInput {
  readonly serviceId: string;
  readonly file: string;
  readonly description: unknown;
  readonly metadata: ServiceMetadata;
  readonly parameters: Record<string, ResolvedParameter>;
  readonly raw: readonly RawResource[];
  readonly order: readonly string[];
  readonly lines: LineCounter;
}

type Obj = Record<string, unknown>;

/** The shapes consumers rely on: an endpoint always has a topic, a mapping entry always a list of subscriptions. */
function normalise(r: RawResource): Obj {
  const p = r.properties;
  if (r.type === 'Cybus::Endpoint') return { ...p, topic: p.topic ?? r.id };
  if (r.type === 'Cybus::Mapping' && Array.isArray(p.mappings)) {
    return {
      ...p,
      mappings: p.mappings.map((entry: Obj) => ({
        ...entry,
        subscribe: Array.isArray(entry.subscribe) ? entry.subscribe : [entry.subscribe],
        rules: entry.rules ?? [],
      })),
    };
  }
  return p;
}

/** Assembles the validated pieces into a `ServiceDefinition`, resources in dependency order. */
export function buildDefinition(input: BuildInput): ServiceDefinition {
  const byId = new Map(input.raw.map((r) => [r.id, r]));
  const resources = input.order.map((id): ResourceDefinition => {
    const r = byId.get(id)!;
    const { line, col } = input.lines.linePos(nodeOffset(r.keyNode));
    return {
      id,
      type: r.type,
      properties: normalise(r),
      dependsOn: r.dependsOn.filter((dep) => dep !== id),
      externalReferences: r.externalReferences,
      line: line,
      column: col,
    };
  });
  const metadata = input.metadata.version === undefined ? input.metadata : { ...input.metadata, version: String(input.metadata.version) };
  return {
    serviceId: input.serviceId,
    file: input.file,
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    metadata,
    parameters: input.parameters,
    resources,
  };
}
