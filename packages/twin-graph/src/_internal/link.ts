import type { TwinProblem } from '../errors.js';
import { findCycle, type Model, NONE, TWIN } from './model.js';

/** Orders the properties by dependency (Kahn), rejecting derivation and fan-out cycles, and fills the arrays. */
export function link(model: Model, inputs: number[][], problems: TwinProblem[]): void {
  const size = model.size;
  const dependents: number[][] = new Array(size).fill(NONE);
  inputs.forEach((list, node) => {
    for (const input of list) {
      if (dependents[input] === NONE) dependents[input] = [];
      dependents[input]!.push(node);
    }
  });
  const waiting = Int32Array.from(inputs, (list) => list.length);
  const queue: number[] = [];
  for (let n = 0; n < size; n++) if (model.kind[n] !== TWIN && waiting[n] === 0) queue.push(n);
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    for (const d of dependents[n]!) {
      model.level[d] = Math.max(model.level[d]!, model.level[n]! + 1);
      if (--waiting[d]! === 0) queue.push(d);
    }
  }
  const stuck = [...waiting.keys()].filter((n) => waiting[n]! > 0);
  const cycle = findCycle(stuck, (n) => inputs[n]!, size);
  if (cycle) {
    problems.push({ code: 'TWIN_CYCLE', at: model.paths[cycle[0]!]!, message: `derivation cycle: ${cycle.reverse().map((n) => model.paths[n]).join(' → ')} (each feeds the next). A property cannot depend on itself.` });
  }
  const fanOut = findCycle(model.setpoint.keys(), (n) => model.setpoint[n]?.targets ?? [], size);
  if (fanOut) {
    problems.push({ code: 'TWIN_CYCLE', at: model.paths[fanOut[0]!]!, message: `setpoint fan-out cycle: ${fanOut.map((n) => model.paths[n]).join(' → ')}.` });
  }
  model.maxLevel = model.level.reduce((a, b) => Math.max(a, b), 0);
  [model.inStart, model.inList] = pack(inputs);
  [model.outStart, model.outList] = pack(dependents);
}

function pack(lists: number[][]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i]! + lists[i]!.length;
  const flat = new Int32Array(start[lists.length]!);
  for (let i = 0; i < lists.length; i++) flat.set(lists[i]!, start[i]!);
  return [start, flat];
}
