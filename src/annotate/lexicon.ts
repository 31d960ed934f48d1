import { Builder, RawFst } from "../fst/index.js";
import { Analyzer, ByteSink } from "../text/analyzer.js";
import type { StreamingMode } from "../text/modes.js";
import type { TagLexicon, TagSegment } from "./segment.js";

/** A dictionary entry: an entity id and its synonyms. */
export interface Entry {
  id: string;
  names: string[];
}

/**
 * One lexicon compiled for one mode: an FST from normalized name keys to key ordinals, and postings
 * from each key ordinal to the (entity, synonym) pairs that normalize to it, in typed arrays.
 * Postings of key k are `postEntity/postName[postStart[k], postStart[k + 1])`: entities sharing a
 * name all come back.
 */
export interface CompiledLexicon {
  readonly mode: StreamingMode;
  readonly fst: RawFst;
  readonly postStart: Uint32Array;
  readonly postEntity: Uint32Array;
  readonly postName: Uint32Array;
  /** Names that normalized to nothing in this mode (stop words or punctuation only), skipped. */
  readonly skippedNames: number;
}

/**
 * An in-memory lexicon: entries plus the modes compiled so far. A mode is compiled when first used and
 * kept, so memory grows with the modes in use, not with all of them. Entries are immutable once the
 * lexicon is built (the store issue brings updates through segments).
 */
export class Lexicon implements TagLexicon, TagSegment {
  readonly name: string;
  readonly entries: readonly Entry[];
  private readonly compiled = new Map<StreamingMode, CompiledLexicon>();

  constructor(name: string, entries: readonly Entry[]) {
    this.name = name;
    this.entries = entries;
  }

  /** Number of names over all entries. */
  get nameCount(): number {
    let n = 0;
    for (const e of this.entries) n += e.names.length;
    return n;
  }

  /** The lexicon compiled for `mode`, compiling it on first use. */
  forMode(mode: StreamingMode): CompiledLexicon {
    let c = this.compiled.get(mode);
    if (!c) {
      c = compileLexicon(this.entries, mode);
      this.compiled.set(mode, c);
    }
    return c;
  }

  segments(): readonly TagSegment[] {
    return [this];
  }

  get docs(): number {
    return this.entries.length;
  }

  entityId(doc: number): string {
    return this.entries[doc].id;
  }

  entityNames(doc: number): readonly string[] {
    return this.entries[doc].names;
  }

  isLive(): boolean {
    return true;
  }

  /** Every entity of an in-memory lexicon is live (it is never updated). */
  readonly alwaysLive = true;

  /** Modes compiled so far. */
  get compiledModes(): StreamingMode[] {
    return [...this.compiled.keys()];
  }
}

/**
 * Compiles entries for one mode. Cost: one analysis per name, a sort of the keys, an FST build:
 * O(names × log names); memory: the keys packed in one buffer, then the FST and postings.
 */
export function compileLexicon(entries: readonly Entry[], mode: StreamingMode): CompiledLexicon {
  let names = 0;
  for (const e of entries) names += e.names.length;
  return compileNames({ docs: entries.length, nameCount: names, names: (doc) => entries[doc].names }, mode);
}

/**
 * Where {@link compileNames} reads the names of docs `0 … docs - 1` from (an entities table decodes
 * them on demand: no object per entity is kept).
 */
export interface NameSource {
  readonly docs: number;
  /** Names over all docs (sizes the arrays once). */
  readonly nameCount: number;
  /** Bytes of all names, if known: sizes the key buffer once (a hint). */
  readonly nameBytes?: number;
  names(doc: number): readonly string[];
}

/**
 * {@link compileLexicon} over a {@link NameSource}: the same result for the same names. Every array is
 * allocated once at its final size (typed arrays; no array of numbers, object or view per key), so a
 * compile of millions of names does not make the garbage collector sweep a big heap again and again.
 */
export function compileNames(source: NameSource, mode: StreamingMode): CompiledLexicon {
  const analyzer = new Analyzer(mode);
  const total = source.nameCount;
  // Every key packed into one buffer, then sorted by byte order. Keys are about as long as their names.
  const sink = new ByteSink(Math.max(1 << 16, Math.ceil((source.nameBytes ?? total * 16) * 1.1)));
  // keyStart[k + 1] is where key k ends.
  const keyStart = new Uint32Array(total + 1);
  const ent = new Uint32Array(total);
  const nam = new Uint32Array(total);
  let k = 0;
  let skipped = 0;
  for (let e = 0; e < source.docs; e++) {
    const names = source.names(e);
    for (let n = 0; n < names.length; n++) {
      const start = sink.length;
      if (analyzer.keyInto(names[n], sink) < 0) {
        skipped++;
        continue;
      }
      keyStart[k] = start;
      ent[k] = e;
      nam[k] = n;
      k++;
    }
  }
  keyStart[k] = sink.length;
  const packed = sink.bytes;
  const order = sortKeys(packed, keyStart.subarray(0, k), keyStart.subarray(1, k + 1));
  // The automaton is about as big as the keys at most: one allocation (pages never touched cost nothing).
  const builder = new Builder({ initialCapacity: Math.max(1 << 20, sink.length) });
  const postStart = new Uint32Array(k + 1);
  const postEntity = new Uint32Array(k);
  const postName = new Uint32Array(k);
  let keys = 0;
  let prevStart = -1;
  let prevEnd = -1;
  let p = 0;
  let groupStart = 0;
  for (let i = 0; i < k; i++) {
    const o = order[i];
    const ks = keyStart[o];
    const ke = keyStart[o + 1];
    if (prevStart < 0 || compareBytes(packed, ks, ke, prevStart, prevEnd) !== 0) {
      prevStart = ks;
      prevEnd = ke;
      builder.insertRange(packed, ks, ke, keys);
      postStart[keys++] = p;
      groupStart = p;
    } else if (holds(postEntity, groupStart, p, ent[o])) {
      // Two synonyms of one entity with the same normalized form: one posting, the first synonym.
      continue;
    }
    postEntity[p] = ent[o];
    postName[p] = nam[o];
    p++;
  }
  postStart[keys] = p;
  return {
    mode,
    fst: RawFst.load(builder.finish(), { verify: false }),
    postStart: postStart.slice(0, keys + 1),
    postEntity: postEntity.slice(0, p),
    postName: postName.slice(0, p),
    skippedNames: skipped,
  };
}

/** Whether `a[from, to)` holds `v`. */
function holds(a: Uint32Array, from: number, to: number, v: number): boolean {
  for (let i = from; i < to; i++) if (a[i] === v) return true;
  return false;
}

/** Compares `b[as, ae)` with `b[bs, be)` by bytes: negative, 0 or positive. */
function compareBytes(b: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = b[as + i] - b[bs + i];
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/**
 * Indices of the keys `bytes[start[i], end[i])` in byte order, ties in index order (stable): an MSD radix
 * sort (a stable counting pass per byte position) down to small buckets, which an insertion sort
 * finishes. O(total key bytes) in practice, no comparator calls for most of the work, no allocation per
 * key (a JavaScript string sort of a million keys takes seconds).
 */
export function sortKeys(bytes: Uint8Array, start: Uint32Array, end: Uint32Array): Uint32Array {
  const n = start.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const tmp = new Uint32Array(n);
  // The bucket of order[i] at the current depth, kept by the counting pass for the distributing one
  // (which then reads no key byte: one cache miss per key and depth instead of two).
  const digit = new Uint16Array(n);
  const counts = new Uint32Array(257);
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= 16) {
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i];
        let j = i - 1;
        while (
          j >= lo &&
          compareBytes(bytes, start[order[j]] + depth, end[order[j]], start[x] + depth, end[x]) > 0
        ) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
      continue;
    }
    counts.fill(0);
    // Bucket 0: keys that end at this depth (they sort first); bucket 1 + b: next byte b.
    for (let i = lo; i < hi; i++) {
      const k = order[i];
      const p = start[k] + depth;
      const d = p < end[k] ? bytes[p] + 1 : 0;
      digit[i] = d;
      counts[d]++;
    }
    let sum = lo;
    let all = -1;
    for (let b = 0; b < 257; b++) {
      const c = counts[b];
      if (c === hi - lo) all = b;
      counts[b] = sum;
      sum += c;
    }
    // Every key in one bucket (a shared prefix): nothing moves; go one byte deeper, or stop when they
    // all end here (equal keys, in index order already).
    if (all > 0) stack.push(lo, hi, depth + 1);
    if (all >= 0) continue;
    for (let i = lo; i < hi; i++) tmp[counts[digit[i]]++] = order[i];
    order.set(tmp.subarray(lo, hi), lo);
    // counts[b] is now the end of bucket b; bucket 0 holds equal keys (already in index order).
    let from = counts[0];
    for (let b = 1; b < 257; b++) {
      const to = counts[b];
      if (to - from > 1) stack.push(from, to, depth + 1);
      from = to;
    }
  }
  return order;
}
