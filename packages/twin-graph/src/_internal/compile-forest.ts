import type { TwinProblem } from '../errors.js';
import type { PropertyDefinition, TwinDefinition, TwinGraphDefinition } from '../definition.js';
import { findCycle, NONE, SOURCE, TWIN } from './model.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The composition forest with every twin and property numbered; references are not resolved yet. */
export interface Forest {
  paths: string[];
  parent: number[];
  kind: number[];
  children: (readonly number[])[];
  byPath: Map<string, number>;
  /** The definitions behind each node (twins and properties). */
  twinDefs: (TwinDefinition | undefined)[];
  propertyDefs: (PropertyDefinition | undefined)[];
}

const TWIN_KEYS = new Set(['description', 'owner', 'properties', 'twins', 'uses']);
const PROPERTY_KEYS = new Set(['description', 'unit', 'source', 'derive', 'aggregate', 'setpoint']);

function unknownKeys(def: Record<string, unknown>, allowed: Set<string>, at: string, what: string, problems: TwinProblem[]): void {
  for (const key of Object.keys(def)) {
    if (!allowed.has(key)) problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `unknown key "${key}" on a ${what}; a ${what} has ${[...allowed].join(', ')}.` });
  }
}

/**
 * Paths built by concatenation are ropes in V8; map lookups compare keys char by char through the rope, which
 * made every `can()` and `read()` slow. Reading a character flattens the string once, in place.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Numbers the twins (nested ones and top-level ones attached by `owner`) and their properties. */
export function buildForest(definition: TwinGraphDefinition, problems: TwinProblem[]): Forest {
  const forest: Forest = { paths: [], parent: [], kind: [], children: [], byPath: new Map(), twinDefs: [], propertyDefs: [] };
  const add = (path: string, parent: number, kind: number) => {
    const id = forest.paths.length;
    forest.paths.push(path);
    forest.parent.push(parent);
    forest.kind.push(kind);
    forest.children.push(kind === TWIN ? [] : NONE);
    forest.twinDefs.push(undefined);
    forest.propertyDefs.push(undefined);
    forest.byPath.set(path, id);
    if (parent >= 0) (forest.children[parent] as number[]).push(id);
    return id;
  };
  const addTwin = (name: string, def: unknown, parent: number): void => {
    const path = flat(parent < 0 ? name : `${forest.paths[parent]}/${name}`);
    if (!NAME.test(name)) {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at: path, message: 'a twin name is letters, digits, _ . - and does not start with . or -.' });
      return;
    }
    if (forest.byPath.has(path)) {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at: path, message: 'this path is defined twice; give the twin or property another name.' });
      return;
    }
    if (!isRecord(def)) {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at: path, message: 'a twin is an object with properties, twins and uses.' });
      return;
    }
    unknownKeys(def, TWIN_KEYS, path, 'twin', problems);
    const id = add(path, parent, TWIN);
    forest.twinDefs[id] = def as TwinDefinition;
    for (const [prop, pdef] of Object.entries((def.properties as Record<string, unknown>) ?? {})) {
      const ppath = flat(`${path}/${prop}`);
      if (!NAME.test(prop) || forest.byPath.has(ppath) || !isRecord(pdef)) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: ppath, message: 'a property needs a unique name (letters, digits, _ . -) and an object definition.' });
        continue;
      }
      unknownKeys(pdef, PROPERTY_KEYS, ppath, 'property', problems);
      forest.propertyDefs[add(ppath, id, SOURCE)] = pdef as PropertyDefinition;
    }
    for (const [child, cdef] of Object.entries((def.twins as Record<string, unknown>) ?? {})) {
      if (isRecord(cdef) && cdef.owner !== undefined) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}/${child}`, message: 'owner is only for top-level twins; a nested twin is owned by the twin it is nested in.' });
      }
      addTwin(child, cdef, id);
    }
  };

  if (!isRecord(definition) || !isRecord(definition.twins)) {
    problems.push({ code: 'TWIN_DEFINITION_INVALID', at: '(graph)', message: 'a twin graph needs a twins map.' });
    return forest;
  }
  const pending = new Map<string, { owner: string; def: TwinDefinition }>();
  for (const [name, def] of Object.entries(definition.twins)) {
    if (isRecord(def) && typeof def.owner === 'string') pending.set(name, { owner: def.owner.replace(/^\/+|\/+$/g, ''), def });
    else addTwin(name, def, -1);
  }
  // Attach owned top-level twins as their owners appear; what is left is unknown or a composition cycle.
  for (let progress = true; progress && pending.size; ) {
    progress = false;
    for (const [name, { owner, def }] of pending) {
      const parent = forest.byPath.get(owner);
      if (parent === undefined) continue;
      pending.delete(name);
      progress = true;
      if (forest.kind[parent] !== TWIN) {
        problems.push({ code: 'TWIN_REFERENCE_UNKNOWN', at: name, message: `owner "${owner}" is a property; the owner must be a twin.` });
      } else addTwin(name, def, parent);
    }
  }
  reportUnattached(pending, problems);
  return forest;
}

function reportUnattached(pending: Map<string, { owner: string }>, problems: TwinProblem[]): void {
  const names = [...pending.keys()];
  // An unattached twin waits for the top-level twin named by a segment of its owner path.
  const edges = names.map((): number[] => []);
  names.forEach((name, i) => {
    const segments = pending.get(name)!.owner.split('/');
    names.forEach((other, j) => {
      if (segments.includes(other)) edges[i]!.push(j);
    });
  });
  const cycle = findCycle(names.keys(), (i) => edges[i]!, names.length);
  if (cycle) {
    problems.push({ code: 'TWIN_CYCLE', at: names[cycle[0]!]!, message: `composition cycle: ${cycle.map((i) => names[i]).join(' → ')} (each is owned by the next). A twin cannot be owned by one of its own descendants.` });
  }
  for (const [name, { owner }] of pending) {
    if (cycle?.some((i) => names[i] === name)) continue;
    problems.push({ code: 'TWIN_REFERENCE_UNKNOWN', at: name, message: `owner "${owner}" is not a twin of this graph.` });
  }
}
