/**
 * Interned tokens of the fuzzy mode: each distinct lower-cased token string gets a small integer id, so
 * that what an index learns of a token (its readings) is found again by array index. An ASCII token is
 * hashed and compared straight from the text, without allocating its string once it has been seen; the
 * tokenizer and the indexes of all segments share one table.
 *
 * The table is bounded ({@link TokenTable.capacity}): when full it starts over and bumps its
 * {@link TokenTable.epoch}, and whoever caches per-id data drops it on an epoch change.
 */
export class TokenTable {
  /** The string of each id. */
  readonly strings: string[] = [];
  /** Bumped each time the table starts over (ids from an older epoch mean nothing). */
  epoch = 0;
  private slots: Int32Array;
  private hashes: Int32Array;
  private mask: number;

  /** @param capacity ids before the table starts over. @default 1 << 20 */
  constructor(readonly capacity = 1 << 20) {
    this.slots = new Int32Array(1024).fill(-1);
    this.hashes = new Int32Array(1024);
    this.mask = 1023;
  }

  /**
   * The id of `text[begin, end)` lower-cased, all of it ASCII, with `hash` = {@link hashCode} of the
   * lower-cased characters. Allocates only for a token not seen before.
   */
  internAscii(text: string, begin: number, end: number, hash: number): number {
    const len = end - begin;
    let s = hash & this.mask;
    for (;;) {
      const id = this.slots[s];
      if (id < 0) break;
      if (this.hashes[s] === hash) {
        const w = this.strings[id];
        if (w.length === len) {
          let i = 0;
          while (i < len && w.charCodeAt(i) === lowerAscii(text.charCodeAt(begin + i))) i++;
          if (i === len) return id;
        }
      }
      s = (s + 1) & this.mask;
    }
    return this.add(s, hash, own(text.slice(begin, end).toLowerCase()));
  }

  /** The id of `word` (taken as is). */
  intern(word: string): number {
    let h = HASH_SEED;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), HASH_PRIME);
    let s = h & this.mask;
    for (;;) {
      const id = this.slots[s];
      if (id < 0) break;
      if (this.hashes[s] === h && this.strings[id] === word) return id;
      s = (s + 1) & this.mask;
    }
    return this.add(s, h, own(word));
  }

  private add(slot: number, hash: number, word: string): number {
    if (this.strings.length >= this.capacity) {
      this.reset();
      return this.intern(word);
    }
    const id = this.strings.length;
    this.strings.push(word);
    this.slots[slot] = id;
    this.hashes[slot] = hash;
    if (this.strings.length * 2 > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size).fill(-1);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let s = 0; s <= this.mask; s++) {
      const id = this.slots[s];
      if (id < 0) continue;
      let t = this.hashes[s] & mask;
      while (slots[t] >= 0) t = (t + 1) & mask;
      slots[t] = id;
      hashes[t] = this.hashes[s];
    }
    this.slots = slots;
    this.hashes = hashes;
    this.mask = mask;
  }

  private reset(): void {
    this.strings.length = 0;
    this.slots = new Int32Array(1024).fill(-1);
    this.hashes = new Int32Array(1024);
    this.mask = 1023;
    this.epoch++;
  }
}

/**
 * `s` as a string of its own: V8 may represent a slice of 13 or more characters as a view of its parent,
 * and a token kept in the table must not keep a whole document alive.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf16le").toString("utf16le");
}

/** Seed and multiplier of the token hash (FNV-1a over UTF-16 units, 32 bits). */
export const HASH_SEED = 0x811c9dc5 | 0;
export const HASH_PRIME = 0x01000193;

/** An ASCII code lower-cased. */
export function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** The one table of the process: the tokenizer and every fuzzy index share it. */
export const TOKENS = new TokenTable();
