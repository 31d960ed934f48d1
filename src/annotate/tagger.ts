import { NONE } from "../fst/index.js";
import { type AnalyzedText, TOKEN_SEPARATOR } from "../text/analyzer.js";
import { growInt32 } from "../util/grow.js";
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
      this.first = growInt32(this.first);
      this.last = growInt32(this.last);
      this.key = growInt32(this.key);
      this.seg = growInt32(this.seg);
    }
    this.first[this.count] = first;
    this.last[this.count] = last;
    this.key[this.count] = key;
    this.seg[this.count] = seg;
    this.count++;
  }
}

/**
 * Memo of token steps for one compiled lexicon: from a node, through one token's bytes, the node reached
 * (or NONE), the output collected, whether a key ends there (and its final output), and the node after
 * the separator that would start the next token. Keyed by (start node, token bytes). Text is Zipfian
 * and names start with common words, so most token starts and most continuations ("of the", "united
 * states") become a hash probe and a short byte compare instead of walks through scattered nodes.
 * Direct-mapped and bounded (a collision overwrites). A lexicon automaton's outputs are key ordinals.
 */
class StepMemo {
  static readonly SLOTS = 1 << 15;
  static readonly MAX_LEN = 24;
  readonly start = new Int32Array(StepMemo.SLOTS).fill(NONE);
  readonly hash = new Int32Array(StepMemo.SLOTS);
  readonly len = new Int32Array(StepMemo.SLOTS);
  readonly addr = new Int32Array(StepMemo.SLOTS);
  readonly out = new Float64Array(StepMemo.SLOTS);
  /** Final output when a key ends after the token, else -1. */
  readonly fin = new Float64Array(StepMemo.SLOTS);
  readonly sep = new Int32Array(StepMemo.SLOTS);
  readonly sepOut = new Float64Array(StepMemo.SLOTS);
  /** Token bytes of each slot, at slot × MAX_LEN. */
  readonly bytes = new Uint8Array(StepMemo.SLOTS * StepMemo.MAX_LEN);
}

const memos = new WeakMap<CompiledLexicon, StepMemo>();

/**
 * Finds every token span of `text` whose normalized tokens, joined by the separator, form a key of the
 * lexicon: from each token start, walk the FST token by token until it has no continuation or a block
 * boundary intervenes. Appends to `out` ordered by first token, then by length, tagged with `segment`.
 *
 * Cost: O(tokens × tokens walked per start); each token step is memoized ({@link StepMemo}), so a
 * start that no key begins with usually costs one probe. No allocation.
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
    memo = new StepMemo();
    memos.set(lex, memo);
  }
  const mStart = memo.start;
  const mHash = memo.hash;
  const mLen = memo.len;
  const mAddr = memo.addr;
  const mOut = memo.out;
  const mFin = memo.fin;
  const mSep = memo.sep;
  const mSepOut = memo.sepOut;
  const mBytes = memo.bytes;
  const MAX = StepMemo.MAX_LEN;
  const mask = StepMemo.SLOTS - 1;
  for (let i = 0; i < n; i++) {
    let from = root;
    let acc = 0;
    let j = i;
    for (;;) {
      const b0 = bs[j];
      const len = be[j] - b0;
      const h = hashes[j];
      const slot = (h ^ Math.imul(from, 0x9e3779b1)) & mask;
      let hit = mStart[slot] === from && mLen[slot] === len && mHash[slot] === h;
      if (hit) {
        const base = slot * MAX;
        for (let k = 0; k < len; k++) {
          if (mBytes[base + k] !== bytes[b0 + k]) {
            hit = false;
            break;
          }
        }
      }
      if (!hit) {
        const addr = fst.walk(from, bytes, b0, b0 + len);
        let o = 0;
        let fin = -1;
        let sep = NONE;
        let sepOut = 0;
        if (addr !== NONE) {
          o = fst.walkOutput;
          if (fst.isFinal(addr)) fin = fst.finalOutput(addr);
          sep = fst.step(addr, TOKEN_SEPARATOR);
          if (sep !== NONE) sepOut = fst.stepOutput;
        }
        if (len > MAX) {
          // Too long to remember: use the result once. (This repeats the hit path below on purpose:
          // merging both into shared locals measured 2x slower, 138 -> 65 MB per CPU-second, exact,
          // node /tmp/m.mjs; V8 optimizes the two straight paths far better.)
          if (addr === NONE) break;
          acc += o;
          if (fin >= 0) out.push(i, j, acc + fin, segment);
          if (++j >= n || block[j] === 1 || sep === NONE) break;
          from = sep;
          acc += sepOut;
          continue;
        }
        mStart[slot] = from;
        mHash[slot] = h;
        mLen[slot] = len;
        mAddr[slot] = addr;
        mOut[slot] = o;
        mFin[slot] = fin;
        mSep[slot] = sep;
        mSepOut[slot] = sepOut;
        const base = slot * MAX;
        for (let k = 0; k < len; k++) mBytes[base + k] = bytes[b0 + k];
      }
      if (mAddr[slot] === NONE) break;
      acc += mOut[slot];
      if (mFin[slot] >= 0) out.push(i, j, acc + mFin[slot], segment);
      if (++j >= n || block[j] === 1 || mSep[slot] === NONE) break;
      from = mSep[slot];
      acc += mSepOut[slot];
    }
  }
  return out;
}
