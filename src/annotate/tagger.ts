import { NONE, NodeView, type RawFst } from "../fst/index.js";
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
   * Slots: a power of two, at most 2^15 (2 MiB), fewer for small lexicons. Behind the first-token
   * filter the memo sees only the tokens a key starts with and the walks in progress, and its size
   * hardly matters (1M names, MB per CPU-second, exact / lower: 2^14 110 / 85, 2^15 111 / 88, 2^17
   * 113 / 86; before the filter 2^17 ran 5-13% faster than 2^15).
   */
  readonly slots: number;
  static readonly MAX_LEN = 32;
  readonly ints: Int32Array;
  /**
   * Bloom-style filter of the tokens a key can start with: bit `hash & firstMask` is set for the
   * FNV-1a hash of every key's first token. A token whose bit is clear starts no match, so most token
   * starts cost one read of this small table (32 bits per distinct first token, at most 2^24 bits,
   * 2 MiB) and never touch the memo or the automaton. Measured at 1M names (SOTU, MB per CPU-second):
   * exact 81 -> 105, lower 46 -> 52 (79% of the text's tokens start no key in exact, 57% in lower);
   * 32 bits per token ran 3-4% faster than 8.
   */
  readonly first: Int32Array;
  readonly firstMask: number;

  constructor(fst: RawFst, keys: number) {
    let slots = 1 << 8;
    while (slots < keys && slots < 1 << 15) slots <<= 1;
    this.slots = slots;
    const buffer = new ArrayBuffer(slots * 64);
    this.ints = new Int32Array(buffer);
    for (let s = 0; s < this.slots; s++) this.ints[s * 16] = NONE;
    const hashes = firstTokenHashes(fst);
    let bits = 1 << 10;
    while (bits < hashes.length * 32 && bits < 1 << 24) bits <<= 1;
    this.firstMask = bits - 1;
    this.first = new Int32Array(bits >>> 5);
    for (let k = 0; k < hashes.length; k++) {
      const b = hashes[k] & this.firstMask;
      this.first[b >>> 5] |= 1 << (b & 31);
    }
  }
}

/**
 * FNV-1a hashes (as the analyzer computes them, {@link AnalyzedText.hash}) of the distinct first
 * tokens of the automaton's keys: the byte strings from the root up to a final node or a separator
 * transition. A depth-first walk of the automaton's first-token level: O(total bytes of the distinct
 * first tokens), once per compiled lexicon.
 */
function firstTokenHashes(fst: RawFst): Int32Array {
  let out: Int32Array = new Int32Array(1024);
  let count = 0;
  const add = (h: number) => {
    if (count === out.length) out = growInt32(out);
    out[count++] = h;
  };
  const nodes: number[] = [fst.root];
  const hashes: number[] = [0x811c9dc5];
  const view = new NodeView();
  while (nodes.length > 0) {
    const addr = nodes.pop()!;
    const h = hashes.pop()!;
    fst.node(addr, view);
    const isRoot = addr === fst.root;
    if (view.isFinal && !isRoot) add(h);
    for (let t = 0; t < view.numTransitions; t++) {
      const label = view.label(t);
      if (label === TOKEN_SEPARATOR) {
        if (!isRoot) add(h);
        continue;
      }
      nodes.push(view.target(t));
      hashes.push(Math.imul(h ^ label, 0x01000193));
    }
  }
  return out.subarray(0, count);
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
    memo = new StepMemo(fst, lex.postStart.length - 1);
    memos.set(lex, memo);
  }
  const mi = memo.ints;
  const MAX = StepMemo.MAX_LEN;
  const mask = memo.slots - 1;
  const first = memo.first;
  const firstMask = memo.firstMask;
  for (let i = 0; i < n; i++) {
    const fb = hashes[i] & firstMask;
    if ((first[fb >>> 5] & (1 << (fb & 31))) === 0) continue;
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
