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
  /** Slots of 4: (id or -1, hash, offset of the token's bytes in the arena, length or -1 if not ASCII). */
  private tab: Int32Array;
  private mask: number;
  /** The bytes of every ASCII token, one after the other: a probe compares bytes, reads no string. */
  private arena = new Uint8Array(1 << 16);
  private arenaLength = 0;
  private scratch = new Uint8Array(64);

  /** @param capacity ids before the table starts over. @default 1 << 20 */
  constructor(readonly capacity = 1 << 20) {
    this.tab = emptySlots(1024);
    this.mask = 1023;
  }

  /**
   * The id of `text[begin, end)` lower-cased, all of it ASCII, with `hash` = {@link hashCode} of the
   * lower-cased characters. Allocates only for a token not seen before.
   */
  internAscii(text: string, begin: number, end: number, hash: number): number {
    const len = end - begin;
    if (this.scratch.length < len) this.scratch = new Uint8Array(len * 2);
    for (let i = 0; i < len; i++) this.scratch[i] = lowerAscii(text.charCodeAt(begin + i));
    return this.internBytes(this.scratch, len, hash, text, begin);
  }

  /**
   * {@link internAscii} with the lower-cased token already in `bytes[0, len)` (the scanner writes it
   * as it hashes): a token seen before costs one probe and a byte comparison, no string read.
   */
  internBytes(bytes: Uint8Array, len: number, hash: number, text: string, begin: number): number {
    const tab = this.tab;
    const arena = this.arena;
    let s = hash & this.mask;
    for (;;) {
      const at = s * 4;
      const id = tab[at];
      if (id < 0) break;
      if (tab[at + 1] === hash && tab[at + 3] === len) {
        const off = tab[at + 2];
        let i = 0;
        while (i < len && arena[off + i] === bytes[i]) i++;
        if (i === len) return id;
      }
      s = (s + 1) & this.mask;
    }
    return this.add(s, hash, own(text.slice(begin, begin + len).toLowerCase()));
  }

  /** The id of `word` (taken as is). */
  intern(word: string): number {
    let h = HASH_SEED;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), HASH_PRIME);
    let s = h & this.mask;
    for (;;) {
      const id = this.tab[s * 4];
      if (id < 0) break;
      if (this.tab[s * 4 + 1] === h && this.strings[id] === word) return id;
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
    const at = slot * 4;
    this.tab[at] = id;
    this.tab[at + 1] = hash;
    let ascii = true;
    for (let i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 0x80;
    if (ascii) {
      if (this.arenaLength + word.length > this.arena.length) {
        const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + word.length));
        a.set(this.arena.subarray(0, this.arenaLength));
        this.arena = a;
      }
      for (let i = 0; i < word.length; i++) this.arena[this.arenaLength + i] = word.charCodeAt(i);
      this.tab[at + 2] = this.arenaLength;
      this.tab[at + 3] = word.length;
      this.arenaLength += word.length;
    } else {
      this.tab[at + 2] = 0;
      this.tab[at + 3] = -1;
    }
    if (this.strings.length * 2 > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const tab = emptySlots(size);
    const mask = size - 1;
    const old = this.tab;
    for (let s = 0; s <= this.mask; s++) {
      if (old[s * 4] < 0) continue;
      let t = old[s * 4 + 1] & mask;
      while (tab[t * 4] >= 0) t = (t + 1) & mask;
      tab.set(old.subarray(s * 4, s * 4 + 4), t * 4);
    }
    this.tab = tab;
    this.mask = mask;
  }

  private reset(): void {
    this.strings.length = 0;
    this.tab = emptySlots(1024);
    this.mask = 1023;
    this.arenaLength = 0;
    this.epoch++;
  }
}

/** A slot table of `size` empty slots (id -1). */
function emptySlots(size: number): Int32Array {
  const tab = new Int32Array(size * 4);
  for (let s = 0; s < size; s++) tab[s * 4] = -1;
  return tab;
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
