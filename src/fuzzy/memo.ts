/**
 * A bounded memo that keeps what is in use: two generations of at most `capacity / 2` entries each.
 * New entries go into the young one; when it is full it becomes the old one (the previous old one is
 * dropped) and a hit in the old one is copied back into the young one. A word a corpus keeps using
 * survives every turnover, where clearing a full map would make the whole vocabulary pay again.
 * Cost: one or two Map lookups per get; memory at most `capacity` entries.
 */
export class GenerationalMemo<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;

  /** @param capacity most entries held (both generations). */
  constructor(capacity: number) {
    this.half = Math.max(1, capacity >> 1);
  }

  /** The value for `key`, or undefined; a hit in the old generation moves into the young one. */
  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  /** Remembers `value` (not undefined) for `key`. */
  set(key: string, value: V): void {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  /** Entries held (both generations; a key may be in both). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
