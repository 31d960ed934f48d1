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
 * Memo of first-token walks for one compiled lexicon: the node reached from the root through a token's
 * bytes (or NONE), keyed by the token's bytes. Text is Zipfian: a few hundred distinct tokens make most
 * of it, so most token starts cost a hash probe and a short byte compare instead of a walk through
 * scattered nodes. Direct-mapped and bounded (a collision overwrites).
 */
class WalkMemo {
  static readonly SLOTS = 1 << 14;
  static readonly MAX_LEN = 24;
  readonly hash = new Int32Array(WalkMemo.SLOTS);
  readonly len = new Int32Array(WalkMemo.SLOTS).fill(-1);
  readonly addr = new Float64Array(WalkMemo.SLOTS);
  readonly out = new Float64Array(WalkMemo.SLOTS);
  /** Token bytes of each slot, at slot × MAX_LEN. */
  readonly bytes = new Uint8Array(WalkMemo.SLOTS * WalkMemo.MAX_LEN);
}

const memos = new WeakMap<CompiledLexicon, WalkMemo>();

/**
 * Finds every token span of `text` whose normalized tokens, joined by the separator, form a key of the
 * lexicon: from each token start, walk the FST across tokens until it has no continuation or a block
 * boundary intervenes. Appends to `out` ordered by first token, then by length, tagged with `segment`.
 *
 * Cost: O(tokens × bytes walked per start); the walk through the first token is memoized per distinct
 * token ({@link WalkMemo}), so a start that no key begins with usually costs one probe. No allocation.
 */
export function findMatches(lex: CompiledLexicon, text: AnalyzedText, out: Matches, segment = 0): Matches {
  const fst = lex.fst;
  const root = fst.root;
  const bytes = text.bytes;
  const bs = text.byteStart;
  const be = text.byteEnd;
  const hashes = text.hash;
  const block = text.blockBefore;
  const n = text.count;
  let memo = memos.get(lex);
  if (!memo) {
    memo = new WalkMemo();
    memos.set(lex, memo);
  }
  const mHash = memo.hash;
  const mLen = memo.len;
  const mAddr = memo.addr;
  const mOut = memo.out;
  const mBytes = memo.bytes;
  const MAX = WalkMemo.MAX_LEN;
  const mask = WalkMemo.SLOTS - 1;
  for (let i = 0; i < n; i++) {
    const b0 = bs[i];
    const len = be[i] - b0;
    const h = hashes[i];
    const slot = h & mask;
    let addr: number;
    let out0: number;
    let hit = false;
    if (mLen[slot] === len && mHash[slot] === h) {
      hit = true;
      const base = slot * MAX;
      for (let k = 0; k < len; k++) {
        if (mBytes[base + k] !== bytes[b0 + k]) {
          hit = false;
          break;
        }
      }
    }
    if (hit) {
      addr = mAddr[slot];
      out0 = mOut[slot];
    } else {
      addr = fst.walk(root, bytes, b0, b0 + len);
      out0 = addr === NONE ? 0 : fst.walkOutput;
      if (len <= MAX) {
        mHash[slot] = h;
        mLen[slot] = len;
        mAddr[slot] = addr;
        mOut[slot] = out0;
        mBytes.set(bytes.subarray(b0, b0 + len), slot * MAX);
      }
    }
    if (addr === NONE) continue;
    let j = i;
    for (;;) {
      if (fst.isFinal(addr)) out.push(i, j, out0 + fst.finalOutput(addr), segment);
      if (++j >= n || block[j] === 1) break;
      addr = fst.step(addr, TOKEN_SEPARATOR);
      if (addr === NONE) break;
      out0 += fst.stepOutput;
      addr = fst.walk(addr, bytes, bs[j], be[j]);
      if (addr === NONE) break;
      out0 += fst.walkOutput;
    }
  }
  return out;
}
