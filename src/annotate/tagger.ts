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
 *
 * Direct-mapped and bounded (a collision overwrites). Each slot is one 64-byte record of 16 int32
 * words, so a probe touches one or two cache lines (the first layout, one array per field, touched
 * nine): 0 start node, 1 token hash, 2 token length, 3 node reached (or NONE), 4 output on the way,
 * 5 final output when a key ends after the token (else -1), 6 node after the separator (or NONE),
 * 7 its output, then from word 8 the token's bytes zero-padded to a multiple of 4, as in
 * {@link AnalyzedText.words}, so a compare reads a word per four bytes. Tokens longer than
 * {@link MAX_LEN} are walked, not kept. A lexicon automaton's outputs are key ordinals, so int32 holds
 * them. (The hot loop uses these offsets as literals.)
 */
class StepMemo {
  /**
   * Slots: a power of two, at most 2^17 (8 MiB; 2^15 measured 5-13% slower at 1M names, where about
   * one step in nine missed it), fewer for small lexicons.
   */
  readonly slots: number;
  static readonly MAX_LEN = 32;
  readonly ints: Int32Array;

  constructor(keys: number) {
    let slots = 1 << 8;
    while (slots < keys && slots < 1 << 17) slots <<= 1;
    this.slots = slots;
    const buffer = new ArrayBuffer(slots * 64);
    this.ints = new Int32Array(buffer);
    for (let s = 0; s < this.slots; s++) this.ints[s * 16] = NONE;
  }
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
  const words = text.words;
  const bs = text.byteStart;
  const be = text.byteEnd;
  const hashes = text.hash;
  const block = text.blockBefore;
  const n = text.count;
  let memo = memos.get(lex);
  if (!memo) {
    memo = new StepMemo(lex.postStart.length - 1);
    memos.set(lex, memo);
  }
  const mi = memo.ints;
  const MAX = StepMemo.MAX_LEN;
  const mask = memo.slots - 1;
  for (let i = 0; i < n; i++) {
    let from = root;
    let acc = 0;
    let j = i;
    for (;;) {
      const b0 = bs[j];
      const len = be[j] - b0;
      const h = hashes[j];
      const r = ((h ^ Math.imul(from, 0x9e3779b1)) & mask) << 4;
      let hit = mi[r] === from && mi[r + 2] === len && mi[r + 1] === h;
      if (hit) {
        // Four bytes at a time: tokens start at multiples of 4 and are zero-padded (AnalyzedText.words).
        const w0 = b0 >> 2;
        for (let w = 0, nw = (len + 3) >> 2; w < nw; w++) {
          if (mi[r + 8 + w] !== words[w0 + w]) {
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
        mi[r] = from;
        mi[r + 1] = h;
        mi[r + 2] = len;
        mi[r + 3] = addr;
        mi[r + 4] = o;
        mi[r + 5] = fin;
        mi[r + 6] = sep;
        mi[r + 7] = sepOut;
        const w0 = b0 >> 2;
        for (let w = 0, nw = (len + 3) >> 2; w < nw; w++) mi[r + 8 + w] = words[w0 + w];
      }
      if (mi[r + 3] === NONE) break;
      acc += mi[r + 4];
      const fin = mi[r + 5];
      if (fin >= 0) out.push(i, j, acc + fin, segment);
      if (++j >= n || block[j] === 1 || mi[r + 6] === NONE) break;
      from = mi[r + 6];
      acc += mi[r + 7];
    }
  }
  return out;
}
