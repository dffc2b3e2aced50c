/**
 * The edges of a trie, (parent node, label) → child node, in one open-addressing hash table with the
 * child's flags stored beside it: a step down the trie is one probe, usually within one cache line, instead
 * of a walk through a node object, its Map and the Map's buckets. Slots are addressed by their offset into
 * `slots`; offsets stay valid until the next `reserve` or `delete`.
 */
export class EdgeTable {
  /** Four numbers per slot: parent + 1 (0 marks a free slot), label, child, the child's flags. */
  slots = new Int32Array(16 * 4);
  #mask = 15;
  #count = 0;

  /** The offset of the edge from `parent` labelled `label`, or -1. */
  find(parent: number, label: number): number {
    const slots = this.slots;
    const mask = this.#mask;
    for (let i = hash(parent, label) & mask; ; i = (i + 1) & mask) {
      const at = i << 2;
      const p = slots[at]!;
      if (p === 0) return -1;
      if (p === parent + 1 && slots[at + 1] === label) return at;
    }
  }

  /** Makes room for `extra` more edges, so the offsets found now stay valid while they are inserted. */
  reserve(extra: number): void {
    if ((this.#count + extra) * 2 <= this.#mask + 1) return;
    const old = this.slots;
    let size = (this.#mask + 1) * 2;
    while ((this.#count + extra) * 2 > size) size *= 2;
    this.slots = new Int32Array(size * 4);
    this.#mask = size - 1;
    this.#count = 0;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at] !== 0) this.insert(old[at]! - 1, old[at + 1]!, old[at + 2]!, old[at + 3]!);
    }
  }

  /** Adds an edge known to be absent (after `reserve`); returns its offset. */
  insert(parent: number, label: number, child: number, flags: number): number {
    const slots = this.slots;
    const mask = this.#mask;
    let i = hash(parent, label) & mask;
    while (slots[i << 2] !== 0) i = (i + 1) & mask;
    const at = i << 2;
    slots[at] = parent + 1;
    slots[at + 1] = label;
    slots[at + 2] = child;
    slots[at + 3] = flags;
    this.#count++;
    return at;
  }

  /** Removes the edge at offset `at`, moving later edges of its probe run back so every lookup still ends. */
  delete(at: number): void {
    const slots = this.slots;
    const mask = this.#mask;
    let hole = at >> 2;
    for (let i = (hole + 1) & mask; slots[i << 2] !== 0; i = (i + 1) & mask) {
      const home = hash(slots[i << 2]! - 1, slots[(i << 2) + 1]!) & mask;
      // The edge at i may fill the hole when the hole lies on its probe path, between its home slot and i.
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        slots.copyWithin(hole << 2, i << 2, (i << 2) + 4);
        hole = i;
      }
    }
    slots.fill(0, hole << 2, (hole << 2) + 4);
    this.#count--;
  }
}

function hash(parent: number, label: number): number {
  const h = Math.imul(parent ^ Math.imul(label, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
