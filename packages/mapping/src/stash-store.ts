/* The memory of `stash` rules, separate from the rule so that every operator can share it. */

/** What `stash` rules remember, shared by the rules of one chain. */
export interface StashStore {
  /** The payload last stashed under `label`, or `null`. */
  get(label: string): unknown;
  /** Stashes `payload` under `label` and returns what was there before (`null` when nothing). */
  swap(label: string, payload: unknown): unknown;
  /** The payload of the last message the chain released, or `null`. */
  released: unknown;
}

/** A fresh, empty store; pass one to several standalone rule operators so `$last` sees their stashes. */
export function createStashStore(): StashStore {
  const values = new Map<string, unknown>();
  return {
    get: (label) => (values.has(label) ? values.get(label) : null),
    swap(label, payload) {
      const before = values.has(label) ? values.get(label) : null;
      values.set(label, payload);
      return before;
    },
    released: null,
  };
}
