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

const decoder = new TextDecoder();

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
  const keys: string[] = [];
  const ent: number[] = [];
  const nam: number[] = [];
  let skipped = 0;
  let astral = false;
  for (let e = 0; e < entries.length; e++) {
    const names = entries[e].names;
    for (let n = 0; n < names.length; n++) {
      const k = analyzer.key(names[n]);
      if (k === null) {
        skipped++;
        continue;
      }
      const s = decoder.decode(k);
      if (!astral && /[\ud800-\udfff]/.test(s)) astral = true;
      keys.push(s);
      ent.push(e);
      nam.push(n);
    }
  }
  const order = Uint32Array.from(keys.keys());
  // UTF-16 order equals UTF-8 byte order unless a key has astral characters (surrogates sort below
  // U+E000..U+FFFF in UTF-16, above them in UTF-8): only then pay for a byte comparison.
  const enc = new TextEncoder();
  if (astral) {
    const bytes = keys.map((k) => enc.encode(k));
    order.sort((a, b) => Buffer.compare(bytes[a], bytes[b]) || a - b);
  } else {
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
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
    if (keys[o] !== prev) {
      prev = keys[o];
      builder.insert(enc.encode(prev), postStart.length);
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
