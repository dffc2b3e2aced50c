import { LineCounter, parseDocument, type ScalarTag } from 'yaml';
import type { TwinDefinition, TwinGraphDefinition } from './definition.js';
import { TwinConfigError, type TwinProblem } from './errors.js';
import { TWIN_GRAPH_RESOURCE_TYPE, TWIN_RESOURCE_TYPE } from './schema.js';
import { createTwinGraph, type TwinGraph, type TwinGraphOptions } from './twin-graph.js';

/** Options of `parseTwinGraphYaml`. */
export interface ParseTwinGraphYamlOptions {
  /** Values for `!ref name` and `${name}` in `!sub`: parameters and pseudo parameters. @default the file's parameter defaults */
  parameters?: Readonly<Record<string, unknown>>;
  /** The file name, for error locations. @default '(yaml)' */
  file?: string;
}

class Tagged {
  constructor(
    readonly tag: '!ref' | '!sub',
    readonly text: string,
  ) {}
}

const tags: ScalarTag[] = (['!ref', '!sub'] as const).map((tag) => ({
  tag,
  resolve: (text: string) => new Tagged(tag, text),
  identify: (v: unknown) => v instanceof Tagged && v.tag === tag,
}));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a twin graph from YAML: either a graph (`twins`, `policy`) or a commissioning file, whose
 * `Iiot::TwinGraph` and `Iiot::Twin` resources are merged (other resources are left to the runtime).
 * `!ref name` gives a parameter's value, or the name itself when it is a resource id (a connection or endpoint).
 */
export function parseTwinGraphYaml(text: string, options: ParseTwinGraphYamlOptions = {}): TwinGraphDefinition {
  const file = options.file ?? '(yaml)';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: tags, prettyErrors: false, lineCounter });
  const problems: TwinProblem[] = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return { code: 'TWIN_DEFINITION_INVALID', at: `${file}:${line}:${col}`, message: e.message };
  });
  if (problems.length) throw new TwinConfigError(problems);
  const raw = doc.toJS() as unknown;
  const parameters: Record<string, unknown> = {};
  if (isRecord(raw) && isRecord(raw.parameters)) {
    for (const [k, spec] of Object.entries(raw.parameters)) if (isRecord(spec) && 'default' in spec) parameters[k] = spec.default;
  }
  Object.assign(parameters, options.parameters);
  const resolved = untag(raw, parameters, problems, file);
  if (!isRecord(resolved)) throw new TwinConfigError([{ code: 'TWIN_DEFINITION_INVALID', at: file, message: 'the file is not a map.' }]);
  const graph = isRecord(resolved.resources) ? fromResources(resolved.resources, problems, file) : (resolved as unknown as TwinGraphDefinition);
  if (problems.length) throw new TwinConfigError(problems);
  return graph;
}

/** Parses YAML (see `parseTwinGraphYaml`) and loads the graph. */
export function loadTwinGraph(text: string, options: Omit<TwinGraphOptions, 'definition'> & ParseTwinGraphYamlOptions = {}): TwinGraph {
  return createTwinGraph({ ...options, definition: parseTwinGraphYaml(text, options) });
}

function untag(value: unknown, parameters: Record<string, unknown>, problems: TwinProblem[], file: string): unknown {
  if (value instanceof Tagged) {
    if (value.tag === '!ref') return value.text in parameters ? parameters[value.text] : value.text;
    return value.text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (name in parameters) return String(parameters[name]);
      problems.push({ code: 'TWIN_REFERENCE_UNKNOWN', at: file, message: `!sub "${value.text}" uses \${${name}}, which has no value; pass it in parameters.` });
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((v) => untag(v, parameters, problems, file));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untag(v, parameters, problems, file)]));
  return value;
}

function fromResources(resources: Record<string, unknown>, problems: TwinProblem[], file: string): TwinGraphDefinition {
  const graph: Required<TwinGraphDefinition> = { twins: {}, policy: {} };
  const addTwin = (name: string, def: unknown, at: string) => {
    if (name in graph.twins) problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `twin "${name}" is defined by more than one resource.` });
    else graph.twins[name] = def as TwinDefinition;
  };
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const at = `${file}: resources.${id}`;
    const props = resource.properties;
    if (resource.type === TWIN_GRAPH_RESOURCE_TYPE) {
      if (!isRecord(props) || !isRecord(props.twins)) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `an ${TWIN_GRAPH_RESOURCE_TYPE} needs properties.twins.` });
        continue;
      }
      for (const [name, def] of Object.entries(props.twins)) addTwin(name, def, at);
      for (const [label, entry] of Object.entries(isRecord(props.policy) ? props.policy : {})) graph.policy[`${id}.${label}`] = entry as never;
    } else if (resource.type === TWIN_RESOURCE_TYPE) {
      addTwin(id, props ?? {}, at);
    }
  }
  return graph;
}
