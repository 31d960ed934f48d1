import { Builder, RawFst } from "../fst/index.js";
import { Analyzer } from "../text/analyzer.js";
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
  // Keys as latin1 strings (one char per byte): JavaScript's string order is then the byte order the
  // FST needs, and the native sort needs no comparator. Each key carries its index after a NUL, which
  // sorts below every key byte (tokens never contain one), so equal keys stay together in index order.
  const tagged: string[] = [];
  const ent: number[] = [];
  const nam: number[] = [];
  let skipped = 0;
  for (let e = 0; e < entries.length; e++) {
    const names = entries[e].names;
    for (let n = 0; n < names.length; n++) {
      const k = analyzer.key(names[n]);
      if (k === null) {
        skipped++;
        continue;
      }
      tagged.push(`${Buffer.from(k.buffer, k.byteOffset, k.length).toString("latin1")}\u0000${ent.length}`);
      ent.push(e);
      nam.push(n);
    }
  }
  tagged.sort();
  const keys: string[] = new Array(tagged.length);
  const order = new Uint32Array(tagged.length);
  for (let i = 0; i < tagged.length; i++) {
    const t = tagged[i];
    const nul = t.lastIndexOf("\u0000");
    keys[i] = t.slice(0, nul);
    order[i] = Number(t.slice(nul + 1));
  }
  const builder = new Builder();
  const postStart: number[] = [];
  const postEntity = new Uint32Array(order.length);
  const postName = new Uint32Array(order.length);
  let prev: string | null = null;
  let p = 0;
  let groupStart = 0;
  for (let i = 0; i < order.length; i++) {
    const o = order[i];
    if (keys[i] !== prev) {
      prev = keys[i];
      builder.insert(Buffer.from(prev, "latin1"), postStart.length);
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
