/**
 * Orders ids so that each comes after the ids it depends on, keeping file order where the graph allows.
 * Calls `onCycle` once per cycle found (its ids in reference order, the first repeated at the end); the ids
 * of a cycle are still emitted, in file order.
 */
export function orderByDependencies(
  ids: readonly string[],
  dependsOn: ReadonlyMap<string, readonly string[]>,
  onCycle: (cycle: readonly string[]) => void,
): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: string[] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    // Iterative depth-first search: a long chain of references must not exhaust the call stack.
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'visiting');
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const deps = dependsOn.get(frame.id) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        const s = state.get(dep);
        if (s === undefined && dependsOn.has(dep)) {
          state.set(dep, 'visiting');
          stack.push({ id: dep, next: 0 });
        } else if (s === 'visiting') {
          const from = stack.findIndex((f) => f.id === dep);
          onCycle([...stack.slice(from).map((f) => f.id), dep]);
        }
        continue;
      }
      state.set(frame.id, 'done');
      out.push(frame.id);
      stack.pop();
    }
  }
  return out;
}
