import type { TagSegment } from "../annotate/segment.js";
import { growInt32 } from "../util/grow.js";
import { type KeyMode, phraseKey } from "./normalize.js";

/**
 * One segment's names by their key in one key mode: key → a chain of postings (doc, name index).
 * Built from the names of the docs live at build time; callers check `isLive` at query time.
 */
export class KeyIndex {
  readonly keys = new Map<string, number>();
  postDoc: Int32Array;
  postName: Int32Array;
  postNext: Int32Array;
  count = 0;

  constructor(seg: TagSegment, mode: KeyMode) {
    const n = Math.max(16, seg.docs * 2);
    this.postDoc = new Int32Array(n);
    this.postName = new Int32Array(n);
    this.postNext = new Int32Array(n);
    for (let doc = 0; doc < seg.docs; doc++) {
      if (!seg.isLive(doc)) continue;
      const names = seg.entityNames(doc);
      for (let i = 0; i < names.length; i++) {
        const k = phraseKey(names[i], mode);
        if (k === null) continue;
        const head = this.keys.get(k);
        // One posting per (key, doc): the first synonym with this key.
        let dup = false;
        for (let p = head ?? -1; p >= 0; p = this.postNext[p]) if (this.postDoc[p] === doc) dup = true;
        if (dup) continue;
        this.push(doc, i, head ?? -1);
        this.keys.set(k, this.count - 1);
      }
    }
  }

  private push(doc: number, name: number, next: number): void {
    if (this.count === this.postDoc.length) {
      this.postDoc = growInt32(this.postDoc);
      this.postName = growInt32(this.postName);
      this.postNext = growInt32(this.postNext);
    }
    this.postDoc[this.count] = doc;
    this.postName[this.count] = name;
    this.postNext[this.count] = next;
    this.count++;
  }

  /** Head posting of `key`, or -1. */
  get(key: string): number {
    return this.keys.get(key) ?? -1;
  }
}

const cache = new WeakMap<TagSegment, Map<KeyMode, KeyIndex>>();

/** The key index of `seg` in `mode`, built on first use and cached while the segment lives. */
export function keyIndex(seg: TagSegment, mode: KeyMode): KeyIndex {
  let perMode = cache.get(seg);
  if (!perMode) {
    perMode = new Map();
    cache.set(seg, perMode);
  }
  // `stem` and `s3sort` normalize alike: share one index.
  const m: KeyMode = mode === "s3sort" ? "stem" : mode;
  let idx = perMode.get(m);
  if (!idx) {
    idx = new KeyIndex(seg, m);
    perMode.set(m, idx);
  }
  return idx;
}
