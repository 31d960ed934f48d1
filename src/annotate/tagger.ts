import { NONE, NodeView, type RawFst } from "../fst/index.js";
import { type AnalyzedText, FNV_OFFSET, FNV_PRIME, TOKEN_SEPARATOR } from "../text/analyzer.js";
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
 * 7 its output, from word 8 the token's bytes zero-padded to a multiple of 4, as in
 * {@link AnalyzedText.words}, so a compare reads a word per four bytes, and in words 14 and 15 the
 * {@link FIRST_CLASS} classes of the labels leaving the node after the separator (bit c of the pair
 * set when a label of class c leaves it). Tokens longer than {@link MAX_LEN} are walked, not kept. A lexicon automaton's outputs are key ordinals, so int32 holds
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
  static readonly MAX_LEN = 24;
  readonly ints: Int32Array;
  /** The filter of the keys' first tokens, built a slice per {@link findMatches} call. */
  readonly filter: FirstTokenFilter;

  constructor(fst: RawFst, keys: number) {
    let slots = 1 << 8;
    while (slots < keys && slots < 1 << 15) slots <<= 1;
    this.slots = slots;
    const buffer = new ArrayBuffer(slots * 64);
    this.ints = new Int32Array(buffer);
    for (let s = 0; s < this.slots; s++) this.ints[s * 16] = NONE;
    this.filter = new FirstTokenFilter(fst, keys);
  }
}

/** Automaton nodes the first-token filter walks per {@link findMatches} call until it is complete. */
let filterBudget = 8_192;

/**
 * Completes the first-token filter of `lex` now, instead of a slice per tagging call: for callers that
 * would rather pay it up front (a benchmark measuring the steady state, a batch job). Returns the
 * milliseconds it took. O(total bytes of the distinct first tokens); a no-op once complete.
 */
export function prepareTagging(lex: CompiledLexicon): number {
  const t = performance.now();
  memoOf(lex).filter.advance(Number.POSITIVE_INFINITY);
  return performance.now() - t;
}

/** @internal Tests only: the filter's walk budget per call (a small one exercises the partial state). */
export function setFirstTokenFilterBudget(nodes: number): void {
  filterBudget = nodes;
}

/**
 * Bloom-style filter of the tokens a key can start with: bit `hash & mask` is set for the FNV-1a
 * hash (as the analyzer computes it, {@link AnalyzedText.hash}) of every key's first token, the byte
 * string from the root up to a final node or a separator transition. A token whose bit is clear starts
 * no match, so once the filter is complete most token starts cost one read of this small table (16
 * bits per key, at most 2^24 bits, 2 MiB) and never touch the memo or the automaton. Measured at 1M
 * names (SOTU, MB per CPU-second): exact 81 -> 105, lower 46 -> 59 (79% of the text's tokens start no
 * key in exact, 57% in lower).
 *
 * It is filled by a depth-first walk of the automaton's first-token level, O(total bytes of the
 * distinct first tokens): about 40 ms at 1M names, 1.8 s at 8M (measured under load). So that no
 * request (the first after a restart, say) waits for all of it, the walk goes a slice of
 * {@link filterBudget} nodes per tagging call (1-2 ms at 1M names, about 4 ms at 8M, where the
 * automaton's nodes are cache misses), and tagging ignores the filter until it is complete (until then
 * it could drop matches): the first few hundred documents are tagged at the unfiltered rate.
 */
class FirstTokenFilter {
  readonly bits: Int32Array;
  readonly mask: number;
  /** Whether every first token is in (the filter may be used). */
  done = false;
  private nodes: Int32Array = new Int32Array(256);
  private hashes: Int32Array = new Int32Array(256);
  private top = 0;
  private readonly view = new NodeView();

  constructor(
    private readonly fst: RawFst,
    keys: number,
  ) {
    let bits = 1 << 10;
    while (bits < keys * 16 && bits < 1 << 24) bits <<= 1;
    this.mask = bits - 1;
    this.bits = new Int32Array(bits >>> 5);
    this.nodes[0] = fst.root;
    this.hashes[0] = FNV_OFFSET;
    this.top = 1;
  }

  /** Walks at most `budget` more nodes; returns whether the filter is complete. */
  advance(budget: number): boolean {
    const fst = this.fst;
    const view = this.view;
    const bits = this.bits;
    const mask = this.mask;
    for (let v = 0; v < budget && this.top > 0; v++) {
      this.top--;
      const addr = this.nodes[this.top];
      const h = this.hashes[this.top];
      fst.node(addr, view);
      const isRoot = addr === fst.root;
      if (view.isFinal && !isRoot) bits[(h & mask) >>> 5] |= 1 << (h & mask & 31);
      for (let t = 0; t < view.numTransitions; t++) {
        const label = view.label(t);
        if (label === TOKEN_SEPARATOR) {
          if (!isRoot) bits[(h & mask) >>> 5] |= 1 << (h & mask & 31);
          continue;
        }
        if (this.top === this.nodes.length) {
          this.nodes = growInt32(this.nodes);
          this.hashes = growInt32(this.hashes);
        }
        this.nodes[this.top] = view.target(t);
        this.hashes[this.top] = Math.imul(h ^ label, FNV_PRIME);
        this.top++;
      }
    }
    if (this.top === 0) this.done = true;
    return this.done;
  }
}

/**
 * Classes of a token's first byte for the continuation check of {@link findMatches}: a-z 0-25, A-Z
 * 26-51, 0-9 52-61, anything else 63 (a superset check: one class may hold several bytes).
 */
const FIRST_CLASS = Uint8Array.from({ length: 256 }, (_, b) =>
  b >= 0x61 && b <= 0x7a
    ? b - 0x61
    : b >= 0x41 && b <= 0x5a
      ? b - 0x41 + 26
      : b >= 0x30 && b <= 0x39
        ? b - 0x30 + 52
        : 63,
);

const classView = new NodeView();

/** Writes into `mi[r + 14]`, `mi[r + 15]` the classes of the labels leaving node `addr` (NONE: none). */
function labelClasses(fst: RawFst, addr: number, mi: Int32Array, r: number): void {
  let lo = 0;
  let hi = 0;
  if (addr !== NONE) {
    const v = fst.node(addr, classView);
    for (let t = 0; t < v.numTransitions; t++) {
      const c = FIRST_CLASS[v.label(t)];
      if (c < 32) lo |= 1 << c;
      else hi |= 1 << (c - 32);
    }
  }
  mi[r + 14] = lo;
  mi[r + 15] = hi;
}

const memos = new WeakMap<CompiledLexicon, StepMemo>();

/** Scratch of {@link findMatches}: the indices of the tokens that pass the first-token filter. */
let starts = new Int32Array(1024);

/** The step memo of a compiled lexicon in this thread, made on first use. */
function memoOf(lex: CompiledLexicon): StepMemo {
  let memo = memos.get(lex);
  if (!memo) {
    memo = new StepMemo(lex.fst, lex.postStart.length - 1);
    memos.set(lex, memo);
  }
  return memo;
}

/**
 * Finds every token span of `text` whose normalized tokens, joined by the separator, form a key of the
 * lexicon: from each token start, walk the FST token by token until it has no continuation or a block
 * boundary intervenes. Appends to `out` ordered by first token, then by length, tagged with `segment`.
 *
 * Cost: O(tokens × tokens walked per start); a start that no key begins with costs one read of the
 * first-token filter ({@link FirstTokenFilter}, once complete: until then each call also fills a slice
 * of it), and each token step is memoized ({@link StepMemo}). No allocation after a lexicon's first use.
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
  const memo = memoOf(lex);
  const mi = memo.ints;
  const MAX = StepMemo.MAX_LEN;
  const mask = memo.slots - 1;
  const filter = memo.filter;
  const filtered = filter.done || filter.advance(filterBudget);
  const first = filter.bits;
  const firstMask = filter.mask;
  // The tokens that may start a key, gathered without a branch per token (whether a token passes the
  // filter is unpredictable: 21% do at 1M names in exact, 43% in lower, so a branch on it mispredicts
  // often): each index is written, and the count advances by the token's filter bit.
  if (starts.length < n) starts = new Int32Array(Math.max(n, starts.length * 2));
  const cand = starts;
  let nc = 0;
  if (filtered) {
    for (let i = 0; i < n; i++) {
      const fb = hashes[i] & firstMask;
      cand[nc] = i;
      nc += (first[fb >>> 5] >>> (fb & 31)) & 1;
    }
  } else {
    for (let i = 0; i < n; i++) cand[i] = i;
    nc = n;
  }
  for (let c = 0; c < nc; c++) {
    const i = cand[c];
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
        labelClasses(fst, sep, mi, r);
      }
      if (mi[r + 3] === NONE) break;
      acc += mi[r + 4];
      const fin = mi[r + 5];
      if (fin >= 0) out.push(i, j, acc + fin, segment);
      if (++j >= n || block[j] === 1 || mi[r + 6] === NONE) break;
      // Most continuations fail on the next token's first byte (77% of them at 1M names in lower, 88%
      // in exact): when no label of its class leaves the node after the separator, stop here, with
      // no memo probe and no walk.
      const c = FIRST_CLASS[bytes[bs[j]]];
      if (((mi[r + 14 + (c >> 5)] >>> (c & 31)) & 1) === 0) break;
      from = mi[r + 6];
      acc += mi[r + 7];
    }
  }
  return out;
}
