// Location paths: each step maps over the sequence the previous step produced. Steps that bind focus (`@`),
// index (`#`) or parent slots (`%`) switch the path to a stream of tuples carrying those bindings.
import type { Evaluator } from './apply.js';
import type { Frame } from './frame.js';
import { compileNamePath, isPlainStep, isRecord } from './name-path.js';
import type { AstNode, NodeCompiler } from './node.js';
import { compileSort } from './sort.js';
import { createSequence, isArrayOfNumbers, isNumeric, type Sequence, type Tuple, toBoolean } from './values.js';

/** A compiled filter or index stage of a step. */
type Stage = (input: Sequence, env: Frame) => Sequence;

/** Compiles a predicate `[…]` applied to a value or a tuple stream. */
export function compileFilter(predicate: AstNode, compile: NodeCompiler): (input: unknown, env: Frame) => Sequence {
  if (predicate.type === 'number') {
    const literal = Math.floor(predicate.value as number);
    return (input) => {
      const items = Array.isArray(input) ? input : createSequence(input);
      let results = createSequence();
      if ((input as Sequence | undefined)?.tupleStream) results.tupleStream = true;
      const item = items[literal < 0 ? items.length + literal : literal];
      if (item !== undefined) {
        if (Array.isArray(item)) results = item;
        else results.push(item);
      }
      return results;
    };
  }
  const test = compile(predicate);
  return (input, env) => {
    const results = createSequence();
    const tuples = (input as Sequence | undefined)?.tupleStream === true;
    if (tuples) results.tupleStream = true;
    const items = Array.isArray(input) ? input : createSequence(input);
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      let res = tuples ? test((item as Tuple)['@'], env.withTuple(item as Tuple)) : test(item, env);
      if (isNumeric(res)) res = [res];
      if (isArrayOfNumbers(res)) {
        for (const n of res) {
          const i = Math.floor(n);
          if ((i < 0 ? items.length + i : i) === index) results.push(item);
        }
      } else if (toBoolean(res)) {
        results.push(item);
      }
    }
    return results;
  };
}

function compileStages(stages: readonly AstNode[] | undefined, compile: NodeCompiler): Stage | undefined {
  if (!stages || stages.length === 0) return undefined;
  const compiled: Stage[] = stages.map((stage) => {
    if (stage.type === 'filter') return compileFilter(stage.expr as AstNode, compile);
    const name = stage.value as string;
    return (input) => {
      for (let i = 0; i < input.length; i++) (input[i] as Tuple)[name] = i;
      return input;
    };
  });
  return (input, env) => {
    let result = input;
    for (const stage of compiled) result = stage(result, env);
    return result;
  };
}

/** Evaluates one step over every item of the input sequence and flattens the results. */
function compilePlainStep(step: AstNode, lastStep: boolean, compile: NodeCompiler) {
  if (step.type === 'sort') {
    const sort = compileSort(step, compile);
    const stages = compileStages(step.stages as AstNode[] | undefined, compile);
    return (input: Sequence, env: Frame): Sequence => {
      const sorted = sort(input, env) as Sequence;
      return stages ? stages(sorted, env) : sorted;
    };
  }
  const evaluate = compile(step);
  const stages = (step.stages as AstNode[] | undefined)?.map((s) => compileFilter(s.expr as AstNode, compile));
  // A plain name over an object is read directly; only a sequence found there (a value bound from an earlier
  // evaluation) and any other item take the full evaluation, which collapses sequences.
  const name = step.type === 'name' && isPlainStep(step) ? (step.value as string) : undefined;
  return (input: Sequence, env: Frame): Sequence => {
    const out = createSequence();
    let count = 0;
    let first: unknown;
    for (let i = 0; i < input.length; i++) {
      const item = input[i];
      let res: unknown;
      if (name !== undefined && isRecord(item)) {
        res = Object.hasOwn(item, name) ? item[name] : undefined;
        if (Array.isArray(res) && (res as Sequence).sequence) res = evaluate(item, env);
      } else {
        res = evaluate(item, env);
      }
      if (stages) for (const stage of stages) res = stage(res, env);
      if (res === undefined) continue;
      if (count++ === 0) first = res;
      if (!Array.isArray(res) || (res as Sequence).cons) out.push(res);
      else for (let j = 0; j < res.length; j++) out.push(res[j]);
    }
    // A single array produced by the last step is returned as it is (it is a value, not a sequence).
    if (lastStep && count === 1 && Array.isArray(first) && !(first as Sequence).sequence) return first as Sequence;
    return out;
  };
}

/** Evaluates one step of a tuple stream: each output tuple extends the input tuple with new bindings. */
function compileTupleStep(step: AstNode, compile: NodeCompiler) {
  const stages = compileStages(step.stages as AstNode[] | undefined, compile);
  if (step.type === 'sort') {
    const sort = compileSort(step, compile);
    const index = step.index as string | undefined;
    return (input: Sequence, tuples: Sequence | undefined, env: Frame): Sequence => {
      let result: Sequence;
      if (tuples) {
        result = sort(tuples, env) as Sequence;
      } else {
        const sorted = sort(input, env) as Sequence;
        result = createSequence();
        result.tupleStream = true;
        for (let i = 0; i < sorted.length; i++) {
          const tuple: Tuple = { '@': sorted[i] };
          if (index !== undefined) tuple[index] = i;
          result.push(tuple);
        }
      }
      return stages ? stages(result, env) : result;
    };
  }
  const evaluate = compile(step);
  const focus = step.focus as string | undefined;
  const index = step.index as string | undefined;
  const ancestor = (step.ancestor as { label: string } | undefined)?.label;
  return (input: Sequence, tuples: Sequence | undefined, env: Frame): Sequence => {
    let result = createSequence();
    result.tupleStream = true;
    const source: Tuple[] = (tuples as Tuple[] | undefined) ?? input.map((item) => ({ '@': item }));
    for (const tuple of source) {
      let res = evaluate(tuple['@'], env.withTuple(tuple));
      if (res === undefined) continue;
      if (!Array.isArray(res)) res = [res];
      const arr = res as Sequence;
      for (let b = 0; b < arr.length; b++) {
        const next: Tuple = Object.assign(Object.create(null), tuple);
        if (arr.tupleStream) {
          Object.assign(next, arr[b]);
        } else {
          if (focus !== undefined) {
            next[focus] = arr[b];
            next['@'] = tuple['@'];
          } else {
            next['@'] = arr[b];
          }
          if (index !== undefined) next[index] = b;
          if (ancestor !== undefined) next[ancestor] = tuple['@'];
        }
        result.push(next);
      }
    }
    if (stages) result = stages(result, env);
    return result;
  };
}

/** Compiles a `path` node. */
export function compilePath(node: AstNode, compile: NodeCompiler, group?: (input: unknown, env: Frame) => unknown): Evaluator {
  const steps = node.steps as AstNode[];
  const absolute = steps[0]!.type === 'variable';
  // Once one step binds a name, every later step runs on the tuple stream.
  const firstTuple = steps.findIndex((step) => step.tuple === true);
  const inTuples = (i: number) => firstTuple >= 0 && i >= firstTuple;
  // A leading array constructor is evaluated once against the whole input, not mapped over it.
  const consFirst = steps[0]!.consarray === true ? compile(steps[0]!) : undefined;
  const plain = steps.map((step, i) =>
    inTuples(i) || (i === 0 && consFirst) ? undefined : compilePlainStep(step, i === steps.length - 1, compile),
  );
  const tupled = steps.map((step, i) => (inTuples(i) ? compileTupleStep(step, compile) : undefined));
  const focused = steps.map((step) => step.focus !== undefined);
  const keepsTuples = node.tuple === true;
  const keepSingleton = node.keepSingletonArray === true;
  const general: Evaluator = (input, env) => {
    let inputSequence: Sequence =
      Array.isArray(input) && !absolute ? (input as Sequence) : createSequence(input);
    let resultSequence: Sequence | undefined;
    let tupleStream = false;
    let tuples: Sequence | undefined;
    for (let i = 0; i < steps.length; i++) {
      if (tupled[i]) tupleStream = true;
      if (i === 0 && consFirst) {
        resultSequence = consFirst(inputSequence, env) as Sequence | undefined;
      } else if (tupleStream) {
        tuples = tupled[i]!(inputSequence, tuples, env);
      } else {
        resultSequence = plain[i]!(inputSequence, env);
      }
      if (!tupleStream && (resultSequence === undefined || resultSequence.length === 0)) break;
      if (!focused[i]) inputSequence = resultSequence as Sequence;
    }
    if (tupleStream) {
      if (keepsTuples) resultSequence = tuples;
      else {
        resultSequence = createSequence();
        for (const t of tuples as Tuple[]) resultSequence.push(t['@']);
      }
    }
    if (keepSingleton && resultSequence !== undefined) {
      if (Array.isArray(resultSequence) && resultSequence.cons && !resultSequence.sequence) {
        resultSequence = createSequence(resultSequence);
      }
      resultSequence.keepSingleton = true;
    }
    if (group) return group(tupleStream ? tuples : resultSequence, env);
    return resultSequence;
  };
  return compileNamePath(node, compile, general) ?? general;
}
