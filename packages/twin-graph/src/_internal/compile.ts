import { checkTopicName, parseTopicFilter, TopicIndex } from '@iiot/core';
import type { TwinGraphDefinition } from '../definition.js';
import { TwinConfigError, type TwinProblem } from '../errors.js';
import type { ExpressionEngine } from '../expression.js';
import { buildForest, type Forest } from './compile-forest.js';
import { link } from './link.js';
import { AGGREGATE, DERIVED, type Model, NONE, SETPOINT, TWIN } from './model.js';
import { compilePolicy } from './policy.js';

/** What `compile` needs besides the definition. */
export interface CompileContext {
  engine: ExpressionEngine;
  endpoints: Readonly<Record<string, { topic: string; connection?: string }>>;
}

const OPS = new Set(['sum', 'avg', 'min', 'max', 'count']);

/** Resolves a reference relative to `twin`: `name`, `child/name`, `../x`, or `/root/…` from the forest's roots. */
function resolve(forest: Forest, twin: number, ref: unknown): number | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  if (ref.startsWith('/')) return forest.byPath.get(ref.replace(/^\/+|\/+$/g, ''));
  let at = twin;
  for (const segment of ref.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') {
      at = forest.parent[at]!;
      if (at < 0) return undefined;
    } else {
      const next = forest.byPath.get(`${forest.paths[at]}/${segment}`);
      if (next === undefined) return undefined;
      at = next;
    }
  }
  return at;
}

/** Checks a definition and builds the model; throws a `TwinConfigError` listing every problem. */
export function compile(definition: TwinGraphDefinition, context: CompileContext): Model {
  const problems: TwinProblem[] = [];
  const forest = buildForest(definition, problems);
  const size = forest.paths.length;
  const model: Model = {
    size,
    paths: forest.paths,
    parent: Int32Array.from(forest.parent),
    kind: Uint8Array.from(forest.kind),
    children: forest.children,
    byPath: forest.byPath,
    uses: new Array(size).fill(NONE),
    usedBy: new Array(size).fill(NONE),
    inStart: new Int32Array(size + 1),
    inList: new Int32Array(0),
    outStart: new Int32Array(size + 1),
    outList: new Int32Array(0),
    level: new Uint16Array(size),
    maxLevel: 0,
    source: new Array(size),
    derive: new Array(size),
    aggregate: new Array(size),
    setpoint: new Array(size),
    connectionOf: new Int32Array(size).fill(-1),
    connections: [],
    connectionMembers: [],
    exactTopics: new Map(),
    topics: new TopicIndex<number>(),
    policy: { bySubject: new Map() },
  };
  const inputs: number[][] = new Array(size).fill(NONE);
  const addInput = (node: number, input: number) => {
    if (inputs[node] === NONE) inputs[node] = [];
    inputs[node]!.push(input);
  };
  const append = (lists: (readonly number[])[], at: number, value: number) => {
    lists[at] = lists[at] === NONE ? [value] : [...lists[at]!, value];
  };
  const connectionIds = new Map<string, number>();
  const bind = (node: number, connection: unknown, at: string) => {
    if (connection === undefined) return;
    if (typeof connection !== 'string' || connection === '') {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: 'connection is the id of a connection resource.' });
      return;
    }
    let c = connectionIds.get(connection);
    if (c === undefined) {
      connectionIds.set(connection, (c = model.connections.length));
      model.connections.push(connection);
      model.connectionMembers.push([]);
    }
    model.connectionOf[node] = c;
    model.connectionMembers[c]!.push(node);
  };
  const expression = (text: unknown, at: string) => {
    if (typeof text !== 'string') {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: 'an expression is a JSONata string.' });
      return undefined;
    }
    try {
      return context.engine.compile(text);
    } catch (error) {
      problems.push({ code: 'TWIN_EXPRESSION_INVALID', at, message: `${(error as Error).message} in "${text}".` });
      return undefined;
    }
  };
  const property = (twin: number, ref: unknown, at: string): number | undefined => {
    const node = resolve(forest, twin, ref);
    if (node !== undefined && forest.kind[node] !== TWIN) return node;
    const known = forest.children[twin]!.filter((c) => forest.kind[c] !== TWIN).map((c) => forest.paths[c]!.slice(forest.paths[twin]!.length + 1));
    problems.push({
      code: 'TWIN_REFERENCE_UNKNOWN',
      at,
      message: `"${String(ref)}" is not a property. References are relative to ${forest.paths[twin]} (properties here: ${known.join(', ') || 'none'}), or absolute from a root twin as /root/…`,
    });
    return undefined;
  };

  for (let node = 0; node < size; node++) {
    const path = forest.paths[node]!;
    const twin = forest.twinDefs[node];
    if (twin) {
      for (const ref of twin.uses ?? []) {
        const used = resolve(forest, node, ref);
        if (used === undefined || forest.kind[used] !== TWIN) {
          problems.push({ code: 'TWIN_REFERENCE_UNKNOWN', at: `${path}.uses`, message: `"${ref}" is not a twin.` });
        } else {
          append(model.uses, node, used);
          append(model.usedBy, used, node);
        }
      }
      continue;
    }
    const def = forest.propertyDefs[node]!;
    const owner = forest.parent[node]!;
    if (+(def.source !== undefined) + +(def.derive !== undefined) + +(def.aggregate !== undefined) + +(def.setpoint !== undefined) !== 1) {
      const kinds = (['source', 'derive', 'aggregate', 'setpoint'] as const).filter((k) => def[k] !== undefined);
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at: path, message: `a property has exactly one of source, derive, aggregate, setpoint (found ${kinds.join(', ') || 'none'}).` });
      continue;
    }
    if (def.source) {
      const { topic, endpoint, connection, value, maxAge } = def.source;
      if (maxAge !== undefined && !(typeof maxAge === 'number' && maxAge > 0)) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.source.maxAge`, message: 'maxAge is a positive number of milliseconds.' });
      }
      const resolved = endpoint === undefined ? { topic, connection } : context.endpoints[endpoint];
      if ((topic === undefined) === (endpoint === undefined) || !resolved) {
        const known = Object.keys(context.endpoints);
        problems.push({
          code: endpoint !== undefined && topic === undefined ? 'TWIN_REFERENCE_UNKNOWN' : 'TWIN_DEFINITION_INVALID',
          at: `${path}.source`,
          message:
            topic !== undefined && endpoint !== undefined
              ? 'give either topic or endpoint, not both.'
              : endpoint !== undefined
                ? `endpoint "${endpoint}" is not known (known: ${known.join(', ') || 'none; pass endpoints when loading'}).`
                : 'a source needs a topic or an endpoint.',
        });
        continue;
      }
      const bound = resolved.topic;
      if (typeof bound !== 'string') {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.source.topic`, message: 'topic is an MQTT topic filter, a string.' });
        continue;
      }
      let filter: ReturnType<typeof parseTopicFilter> | undefined;
      try {
        if (bound.includes('+') || bound.includes('#') || bound === '') model.topics.add((filter = parseTopicFilter(bound)), node);
        else {
          const why = checkTopicName(bound);
          if (why) throw new Error(`Invalid topic "${bound}": ${why}.`);
          const list = model.exactTopics.get(bound);
          if (list) list.push(node);
          else model.exactTopics.set(bound, [node]);
        }
        model.source[node] = { topic: bound, filter, value: value === undefined ? undefined : expression(value, `${path}.source.value`), maxAge };
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.source.topic`, message: error.message });
      }
      bind(node, connection ?? resolved.connection, `${path}.source.connection`);
    } else if (def.derive) {
      model.kind[node] = DERIVED;
      const names = Object.keys(def.derive.inputs ?? {});
      const compiled = expression(def.derive.expression, `${path}.derive.expression`);
      for (const name of names) {
        const input = property(owner, def.derive.inputs[name], `${path}.derive.inputs.${name}`);
        if (input !== undefined) addInput(node, input);
      }
      if (compiled && inputs[node]!.length === names.length) model.derive[node] = { expression: compiled, names };
    } else if (def.aggregate) {
      model.kind[node] = AGGREGATE;
      const { op, of, inputs: refs, percentGood = 100, percentBad = 100 } = def.aggregate;
      const at = `${path}.aggregate`;
      if (!OPS.has(op)) problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `op "${op}" is not one of sum, avg, min, max, count.` });
      for (const [name, pct] of [['percentGood', percentGood], ['percentBad', percentBad]] as const) {
        if (!(typeof pct === 'number' && pct > 0 && pct <= 100)) problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `${name} is a percentage above 0 and at most 100.` });
      }
      if ((of === undefined) === (refs === undefined)) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: 'an aggregate needs either of (a property of each child twin) or inputs (a list of properties).' });
      } else if (of !== undefined) {
        for (const child of forest.children[owner]!) {
          const input = forest.kind[child] === TWIN ? forest.byPath.get(`${forest.paths[child]}/${of}`) : undefined;
          if (input !== undefined && forest.kind[input] !== TWIN) addInput(node, input);
        }
      } else {
        for (const ref of refs ?? []) {
          const input = property(owner, ref, `${at}.inputs`);
          if (input !== undefined) addInput(node, input);
        }
      }
      model.aggregate[node] = { op, percentGood, percentBad };
    } else if (def.setpoint) {
      model.kind[node] = SETPOINT;
      const targets: number[] = [];
      for (const ref of def.setpoint.targets ?? []) {
        const target = property(owner, ref, `${path}.setpoint.targets`);
        if (target === undefined) continue;
        if (forest.propertyDefs[target]?.setpoint === undefined) {
          problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.setpoint.targets`, message: `"${ref}" is not a setpoint; a setpoint fans out only to other setpoints.` });
        } else targets.push(target);
      }
      if (def.setpoint.topic === undefined && targets.length === 0) {
        problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.setpoint`, message: 'a setpoint needs a topic to write to or targets to fan out to.' });
      }
      const why = def.setpoint.topic === undefined ? undefined : checkTopicName(def.setpoint.topic);
      if (why) problems.push({ code: 'TWIN_DEFINITION_INVALID', at: `${path}.setpoint.topic`, message: `Invalid topic "${def.setpoint.topic}": ${why}.` });
      model.setpoint[node] = { topic: def.setpoint.topic, targets };
      bind(node, def.setpoint.connection, `${path}.setpoint.connection`);
    }
  }
  if (problems.length === 0) link(model, inputs, problems);
  model.policy = compilePolicy(definition?.policy, forest.byPath, problems);
  if (problems.length) throw new TwinConfigError(problems);
  return model;
}
