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

  /** Modes compiled so far. */
  get compiledModes(): StreamingMode[] {
    return [...this.compiled.keys()];
  }
}

/**
 * Compiles entries for one mode. Cost: one analysis per name, a sort of the keys, an FST build:
 * O(names × log names); memory: the keys as strings while sorting, then the FST and postings.
 */
export function compileLexicon(entries: readonly Entry[], mode: StreamingMode): CompiledLexicon {
  const analyzer = new Analyzer(mode);
  // Every key packed into one buffer (no string or array per key), then sorted by byte order.
  const sink = new ByteSink(1 << 16);
  const starts: number[] = [];
  const ent: number[] = [];
  const nam: number[] = [];
  let skipped = 0;
  for (let e = 0; e < entries.length; e++) {
    const names = entries[e].names;
    for (let n = 0; n < names.length; n++) {
      const start = sink.length;
      if (analyzer.keyInto(names[n], sink) < 0) {
        skipped++;
        continue;
      }
      starts.push(start);
      ent.push(e);
      nam.push(n);
    }
  }
  const keyStart = Uint32Array.from(starts);
  const keyEnd = new Uint32Array(keyStart.length);
  for (let i = 0; i < keyStart.length; i++)
    keyEnd[i] = i + 1 < keyStart.length ? keyStart[i + 1] : sink.length;
  const packed = sink.bytes;
  const order = sortKeys(packed, keyStart, keyEnd);
  const builder = new Builder();
  const postStart: number[] = [];
  const postEntity = new Uint32Array(order.length);
  const postName = new Uint32Array(order.length);
  let prevStart = -1;
  let prevEnd = -1;
  let p = 0;
  let groupStart = 0;
  for (let i = 0; i < order.length; i++) {
    const o = order[i];
    const ks = keyStart[o];
    const ke = keyEnd[o];
    if (prevStart < 0 || compareBytes(packed, ks, ke, prevStart, prevEnd) !== 0) {
      prevStart = ks;
      prevEnd = ke;
      builder.insert(packed.subarray(ks, ke), postStart.length);
      postStart.push(p);
      groupStart = p;
    } else if (postEntity.subarray(groupStart, p).includes(ent[o])) {
      // Two synonyms of one entity with the same normalized form: one posting, the first synonym.
      continue;
    }
    postEntity[p] = ent[o];
    postName[p] = nam[o];
    p++;
  }
  postStart.push(p);
  return {
    mode,
    fst: RawFst.load(builder.finish(), { verify: false }),
    postStart: Uint32Array.from(postStart),
    postEntity: postEntity.slice(0, p),
    postName: postName.slice(0, p),
    skippedNames: skipped,
  };
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
      counts[p < end[k] ? bytes[p] + 1 : 0]++;
    }
    let sum = lo;
    for (let b = 0; b < 257; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = lo; i < hi; i++) {
      const k = order[i];
      const p = start[k] + depth;
      tmp[counts[p < end[k] ? bytes[p] + 1 : 0]++] = k;
    }
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
