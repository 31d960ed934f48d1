import { NONE } from "../fst/index.js";
import { type AnalyzedText, TOKEN_SEPARATOR } from "../text/analyzer.js";
import type { CompiledLexicon } from "./lexicon.js";

/**
 * Candidate matches of one text, as parallel growable arrays: match m spans tokens
 * `[first[m], last[m]]` and its key has ordinal `key[m]` (an index into the lexicon's postings).
 */
export class Matches {
  count = 0;
  first: Int32Array = new Int32Array(64);
  last: Int32Array = new Int32Array(64);
  key: Int32Array = new Int32Array(64);
  /** Segment the match was found in (set by the caller: {@link findMatches} fills it with `segment`). */
  seg: Int32Array = new Int32Array(64);

  reset(): void {
    this.count = 0;
  }

  push(first: number, last: number, key: number, seg: number): void {
    if (this.count === this.first.length) {
      this.first = grow(this.first);
      this.last = grow(this.last);
      this.key = grow(this.key);
      this.seg = grow(this.seg);
    }
    this.first[this.count] = first;
    this.last[this.count] = last;
    this.key[this.count] = key;
    this.seg[this.count] = seg;
    this.count++;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Finds every token span of `text` whose normalized tokens, joined by the separator, form a key of the
 * lexicon: from each token start, walk the FST across tokens until it has no continuation or a block
 * boundary intervenes. Appends to `out` ordered by first token, then by length.
 *
 * Cost: O(tokens × bytes walked per start); a start that no key begins with costs one table read.
 * No allocation.
 */
export function findMatches(lex: CompiledLexicon, text: AnalyzedText, out: Matches, segment = 0): Matches {
  const fst = lex.fst;
  const root = fst.root;
  const bytes = text.bytes;
  const bs = text.byteStart;
  const be = text.byteEnd;
  const block = text.blockBefore;
  const n = text.count;
  const sep = Uint8Array.of(TOKEN_SEPARATOR);
  for (let i = 0; i < n; i++) {
    let addr = fst.walk(root, bytes, bs[i], be[i]);
    if (addr === NONE) continue;
    let out0 = fst.walkOutput;
    let j = i;
    for (;;) {
      if (fst.isFinal(addr)) out.push(i, j, out0 + fst.finalOutput(addr), segment);
      if (++j >= n || block[j] === 1) break;
      addr = fst.walk(addr, sep, 0, 1);
      if (addr === NONE) break;
      out0 += fst.walkOutput;
      addr = fst.walk(addr, bytes, bs[j], be[j]);
      if (addr === NONE) break;
      out0 += fst.walkOutput;
    }
  }
  return out;
}
