import type { TagSegment } from "../annotate/segment.js";
import { englishWords, isCommonEnglishWord, isEnglishWord } from "../chunker/pos.js";
import { isStopWord } from "../text/stop-words.js";
import { growInt32 } from "../util/grow.js";
import { DeletionIndex } from "./deletion-index.js";
import { GenerationalMemo } from "./memo.js";
import { phraseWords } from "./normalize.js";
import { glyphSkeleton, ocrDistance, skeleton } from "./ocr-distance.js";
import { TOKENS } from "./token-table.js";
import { isWordNetLemma } from "./wordnet.js";

/** One way to read a text token (or two joined tokens) as dictionary words: one or two word ids, a cost. */
export interface Alt {
  w0: number;
  /** Second word when the token is two words run together ("refractoryanemia"), else -1. */
  w1: number;
  /** OCR-weighted edits (0 for the word itself). */
  cost: number;
  /**
   * An English word other than this reading's own is as near to the token: the token is likely that
   * word misread, so this reading stands only inside a name of several words.
   */
  english: boolean;
}

/** A text token as an index sees it: flags ({@link TOKEN_STOP}, {@link TOKEN_SUSPECT}) and readings. */
export interface TokenInfo {
  flags: number;
  /** Readings as dictionary words, best first, or null. */
  alts: Alt[] | null;
}
/** Flag of a stop word. */
export const TOKEN_STOP = 1;
/** Flag of a token that is not a real English word (OCR may have garbled it or split it). */
export const TOKEN_SUSPECT = 2;
/** Flag of a token that is a word of the index's names. */
export const TOKEN_WORD = 4;
const STOP_INFO: TokenInfo = Object.freeze({ flags: TOKEN_STOP, alts: null });
const REAL_INFO: TokenInfo = Object.freeze({ flags: 0, alts: null });
const SUSPECT_INFO: TokenInfo = Object.freeze({ flags: TOKEN_SUSPECT, alts: null });

/** Largest OCR-weighted distance a token of `len` characters may have from a word: none on short tokens. */
export function maxTokenEdits(len: number): number {
  if (len < 4) return 0;
  if (len < 6) return 1;
  if (len < 10) return 2;
  return 2.5;
}

/** The edit radius searched on glyph skeletons for a skeleton of `len` characters. */
function searchRadius(len: number): number {
  if (len < 4) return 0;
  if (len < 7) return 1;
  return 2;
}

/** Counters that let tests check the index is never scanned. */
export interface FuzzyStats {
  /** Fuzzy candidate generations (per distinct token, per segment). */
  generations: number;
  /** Hash probes of the deletion index. */
  probes: number;
  /** Candidate words scored by {@link ocrDistance}. */
  scored: number;
}

const MAX_ALTS = 8;
/** Distinct tokens (and joined pairs) an index remembers the readings of, in use first. */
const MEMO_CAPACITY = 262_144;
/** Most token pairs {@link FuzzyIndex.joinedById} remembers before it starts over. */
const MAX_PAIRS = 1 << 18;
/** Share of a word's letters that a relaxed in-context reading may edit ({@link FuzzyIndex.childrenNear}). */
const RELAXED_SHARE = 0.34;
/** Int32s per edge in {@link FuzzyIndex}'s child lists. */
const CHILD_STRIDE = 4;

/**
 * A segment's names for fuzzy matching: a vocabulary of the words of its names, a word-level trie of
 * the names (in an open-addressing hash table over typed arrays), the names at each trie node, and a
 * deletion index of the words' glyph skeletons for candidate search (SymSpell-style: its cost per token
 * does not grow with the lexicon). Token readings are memoized per distinct token (bounded), so a
 * document costs one generation per new token.
 */
export class FuzzyIndex {
  readonly vocab = new Map<string, number>();
  readonly words: string[] = [];
  /** Skeleton id → the word ids with that skeleton (CSR). */
  private skelStart: Int32Array = new Int32Array(0);
  private skelWords: Int32Array = new Int32Array(0);
  private skelIds = new Map<string, number>();
  private deletions: DeletionIndex | null = null;
  // Trie: edges in a hash table keyed by (node, word), a slot's (node, word, child) side by side (one
  // cache line per probe at 1M names, not three); the root's children also by word, one array read.
  private edgeTab: Int32Array;
  private rootChild: Int32Array = new Int32Array(0);
  private mask: number;
  private edges = 0;
  nodes = 1;
  /** Head posting of each node (-1: no name ends here). */
  nodeHead: Int32Array;
  postDoc: Int32Array;
  postName: Int32Array;
  postNext: Int32Array;
  posts = 0;
  maxWords = 1;
  /** Length of the longest word of the names: a longer token, less its edits, can be none of them. */
  maxWordLength = 0;
  private readonly memo = new GenerationalMemo<TokenInfo>(MEMO_CAPACITY);
  private byId: (TokenInfo | undefined)[] = [];
  private byIdEpoch = -1;
  private readonly joinMemo = new GenerationalMemo<Alt[] | null>(MEMO_CAPACITY);
  // Pairs of token ids → joinedReadings (open addressing; keys (a, b) side by side, -1: empty).
  private pairKeys: Int32Array = new Int32Array(0);
  private pairAlts: (Alt[] | null)[] = [];
  private pairMask = -1;
  private pairCount = 0;
  private pairEpoch = -1;
  private readonly found: number[] = [];
  /** Each word's length (at most 255): candidates too short are passed over without reading the word. */
  private wordLen: Uint8Array = new Uint8Array(0);
  /** A Bloom filter (2 probes) of the skeletons of the words: most split points fail it, no Map lookup. */
  private skelBloom: Int32Array = new Int32Array(1);
  private skelBloomMask = 0;
  readonly stats: FuzzyStats = { generations: 0, probes: 0, scored: 0 };

  constructor(seg: TagSegment) {
    let nameWords = 0;
    const all: (string[] | null)[][] = [];
    for (let doc = 0; doc < seg.docs; doc++) {
      if (!seg.isLive(doc)) {
        all.push([]);
        continue;
      }
      const per = seg.entityNames(doc).map((n) => {
        const w = phraseWords(n);
        return w.length === 0 ? null : w;
      });
      for (const w of per) if (w) nameWords += w.length;
      all.push(per);
    }
    let cap = 1024;
    while (cap < nameWords * 2) cap *= 2;
    this.edgeTab = new Int32Array(cap * 3);
    for (let s = 0; s < cap; s++) this.edgeTab[s * 3] = -1;
    this.mask = cap - 1;
    this.nodeHead = new Int32Array(nameWords + 2).fill(-1);
    const np = Math.max(16, seg.docs * 2);
    this.postDoc = new Int32Array(np);
    this.postName = new Int32Array(np);
    this.postNext = new Int32Array(np);
    for (let doc = 0; doc < all.length; doc++) {
      const per = all[doc];
      for (let i = 0; i < per.length; i++) {
        const ws = per[i];
        if (ws === null) continue;
        let node = 0;
        for (const w of ws) {
          let id = this.vocab.get(w);
          if (id === undefined) {
            id = this.words.length;
            this.vocab.set(w, id);
            this.words.push(w);
            if (w.length > this.maxWordLength) this.maxWordLength = w.length;
          }
          node = this.childOrAdd(node, id);
        }
        if (ws.length > this.maxWords) this.maxWords = ws.length;
        let dup = false;
        for (let p = this.nodeHead[node]; p >= 0; p = this.postNext[p])
          if (this.postDoc[p] === doc) dup = true;
        if (!dup) this.addPosting(node, doc, i);
      }
    }
    this.wordLen = new Uint8Array(this.words.length);
    for (let w = 0; w < this.words.length; w++) this.wordLen[w] = Math.min(255, this.words[w].length);
    this.buildChildren();
    this.buildBefore();
    this.buildSkeletons();
  }

  private childOrAdd(node: number, word: number): number {
    const tab = this.edgeTab;
    let s = hash(node, word) & this.mask;
    for (;;) {
      const n = tab[s * 3];
      if (n < 0) break;
      if (n === node && tab[s * 3 + 1] === word) return tab[s * 3 + 2];
      s = (s + 1) & this.mask;
    }
    tab[s * 3] = node;
    tab[s * 3 + 1] = word;
    tab[s * 3 + 2] = this.nodes;
    this.edges++;
    return this.nodes++;
  }

  /**
   * Children of each trie node (CSR), for corrections in context: per edge (word, child, the word's
   * length, its first UTF-16 unit × 65536 + its last), so that most children are passed over without
   * reading their word.
   */
  private childStart: Int32Array = new Int32Array(0);
  private childList: Int32Array = new Int32Array(0);

  private buildChildren(): void {
    const start = new Int32Array(this.nodes + 1);
    const tab = this.edgeTab;
    const root = new Int32Array(this.words.length).fill(-1);
    for (let s = 0; s <= this.mask; s++) {
      const v = tab[s * 3];
      if (v < 0) continue;
      start[v + 1]++;
      if (v === 0) root[tab[s * 3 + 1]] = tab[s * 3 + 2];
    }
    this.rootChild = root;
    for (let v = 0; v < this.nodes; v++) start[v + 1] += start[v];
    const fill = start.slice(0, this.nodes);
    const list = new Int32Array(this.edges * CHILD_STRIDE);
    for (let s = 0; s <= this.mask; s++) {
      const v = tab[s * 3];
      if (v < 0) continue;
      const at = fill[v]++ * CHILD_STRIDE;
      const w = tab[s * 3 + 1];
      const word = this.words[w];
      list[at] = w;
      list[at + 1] = tab[s * 3 + 2];
      list[at + 2] = word.length;
      list[at + 3] = word.charCodeAt(0) * 65536 + word.charCodeAt(word.length - 1);
    }
    this.childStart = start;
    this.childList = list;
  }

  /**
   * Appends to `out` the (word, child, cost) triples of the children of `node` whose word is within
   * `maxEdits` and {@link maxTokenEdits} OCR-weighted edits of `token` (and neither is a prefix of the
   * other), when `node` has at most `maxChildren` children:
   * a word that reads as nothing alone (a real English word such as "hounded" or "compile") may still be
   * read as the next word of a name already begun ("plasma membrane bounded", "ribonucleoprotein
   * complex"). A length and first-or-last-letter filter precedes the distance. Cost O(children).
   * `relaxed`: the bound is a third of the longer word's letters instead, for a garbled token that a
   * name's words on both sides vouch for (the caller makes sure a word follows).
   */
  childrenNear(
    node: number,
    token: string,
    maxChildren: number,
    maxEdits: number,
    out: number[],
    relaxed = false,
  ): void {
    const from = this.childStart[node];
    const to = this.childStart[node + 1];
    if (to - from > maxChildren) return;
    const len = token.length;
    // In context a short token may take one edit: the name's words before it vouch for the reading.
    // Relaxed (the name's words after it must vouch too): up to a third of the longer's letters.
    // (The longest word a token may be read as is two letters longer.)
    const max = Math.min(maxEdits, relaxed ? (len + 2) * RELAXED_SHARE : len === 3 ? 1 : maxTokenEdits(len));
    const first = token.charCodeAt(0);
    const last = token.charCodeAt(len - 1);
    const list = this.childList;
    for (let e = from * CHILD_STRIDE; e < to * CHILD_STRIDE; e += CHILD_STRIDE) {
      const wl = list[e + 2];
      if (Math.abs(wl - len) > 2 || wl < 4) continue;
      const ends = list[e + 3];
      if (ends >>> 16 !== first && (ends & 0xffff) !== last) continue;
      const w = list[e];
      const word = this.words[w];
      // An inflection is no OCR error ("nerve fibers" is not "nerve fiber" misread), nor a word with
      // more after it ("beta1" read "betal" is not "beta"); a letter lost, or doubled, is ("host cel",
      // "host celll").
      if (len > wl ? token.startsWith(word) && !isDoubledEnd(token, word) : isInflection(token, word))
        continue;
      const bound = relaxed ? Math.max(wl, len) * RELAXED_SHARE : maxTokenEdits(wl);
      const d = ocrDistance(token, word, max);
      if (d <= max && d <= bound) out.push(w, list[e + 1], d);
    }
  }

  /**
   * Appends to `out` the (word, child, cost) triples of the children of `node` whose word is as long
   * as `token` (one to three characters) and differs from it only by confusable glyphs (the same
   * {@link glyphSkeleton}: "|" or "l" for "I", "ll" or "il" for "II", "jon" for "ion"), when `node` has
   * at most `maxChildren` children. For a short token inside a name begun, which gets no readings of
   * its own. Cost O(children).
   */
  childrenSameGlyphs(node: number, token: string, maxChildren: number, out: number[]): void {
    const from = this.childStart[node];
    const to = this.childStart[node + 1];
    if (to - from > maxChildren) return;
    const len = token.length;
    const gk = glyphSkeleton(token);
    const list = this.childList;
    for (let e = from * CHILD_STRIDE; e < to * CHILD_STRIDE; e += CHILD_STRIDE) {
      if (list[e + 2] !== len) continue;
      const word = this.words[list[e]];
      if (word === token || glyphSkeleton(word) !== gk) continue;
      out.push(list[e], list[e + 1], ocrDistance(token, word));
    }
  }

  // Names by their second word: for word w2, the (first word, its node) pairs of the names whose
  // second word is w2, shortest first word first (CSR).
  private beforeStart: Int32Array = new Int32Array(1);
  private beforeList: Int32Array = new Int32Array(0);

  /**
   * Appends to `out` the (word, node) pairs of the first words of the names whose second word is
   * `second`, that are `token` misread: within one OCR-weighted edit (`maxEdits`), or of the same
   * glyphs for a token of two characters, of one letter more or less at most, and not the token itself
   * ("cel polarity", "wot signaling pathway", "1l-10"). At most `maxScan` first words of a fitting
   * length are looked at. For a garbled short token that begins a name, which its next word vouches
   * for. Cost O(first words looked at); the index is built with the rest (O(names' second words)).
   */
  firstWordsBefore(second: number, token: string, maxEdits: number, maxScan: number, out: number[]): void {
    const start = this.beforeStart;
    const list = this.beforeList;
    const len = token.length;
    const gk = len <= 2 ? glyphSkeleton(token) : "";
    let scanned = 0;
    for (let e = start[second] * 2; e < start[second + 1] * 2; e += 2) {
      const w = list[e];
      const wl = this.wordLen[w];
      if (wl < len - 1) continue;
      if (wl > len + 1) break;
      if (++scanned > maxScan) return;
      const word = this.words[w];
      if (word === token) continue;
      if (len <= 2) {
        if (wl === len && glyphSkeleton(word) === gk) out.push(w, list[e + 1], ocrDistance(token, word));
        continue;
      }
      const d = ocrDistance(token, word, maxEdits);
      if (d <= maxEdits) out.push(w, list[e + 1], d);
    }
  }

  private buildBefore(): void {
    const nw = this.words.length;
    // First words by length (counting sort), so each list comes out shortest first.
    const byLen = new Int32Array(257);
    for (let w = 0; w < nw; w++) if (this.rootChild[w] >= 0) byLen[this.wordLen[w] + 1]++;
    for (let l = 0; l < 256; l++) byLen[l + 1] += byLen[l];
    const order = new Int32Array(byLen[256]);
    const at = byLen.slice(0, 256);
    for (let w = 0; w < nw; w++) if (this.rootChild[w] >= 0) order[at[this.wordLen[w]]++] = w;
    const start = new Int32Array(nw + 1);
    const cs = this.childStart;
    const cl = this.childList;
    for (const w1 of order) {
      const node = this.rootChild[w1];
      for (let e = cs[node] * CHILD_STRIDE; e < cs[node + 1] * CHILD_STRIDE; e += CHILD_STRIDE)
        start[cl[e] + 1]++;
    }
    for (let w = 0; w < nw; w++) start[w + 1] += start[w];
    const fill = start.slice(0, nw);
    const list = new Int32Array(start[nw] * 2);
    for (const w1 of order) {
      const node = this.rootChild[w1];
      for (let e = cs[node] * CHILD_STRIDE; e < cs[node + 1] * CHILD_STRIDE; e += CHILD_STRIDE) {
        const k = fill[cl[e]]++ * 2;
        list[k] = w1;
        list[k + 1] = node;
      }
    }
    this.beforeStart = start;
    this.beforeList = list;
  }

  /** Child of trie node `node` by word `word`, or -1. O(1) expected; an array read from the root. */
  child(node: number, word: number): number {
    if (node === 0) return this.rootChild[word];
    const tab = this.edgeTab;
    let s = hash(node, word) & this.mask;
    for (;;) {
      const n = tab[s * 3];
      if (n < 0) return -1;
      if (n === node && tab[s * 3 + 1] === word) return tab[s * 3 + 2];
      s = (s + 1) & this.mask;
    }
  }

  private addPosting(node: number, doc: number, name: number): void {
    if (this.posts === this.postDoc.length) {
      this.postDoc = growInt32(this.postDoc);
      this.postName = growInt32(this.postName);
      this.postNext = growInt32(this.postNext);
    }
    this.postDoc[this.posts] = doc;
    this.postName[this.posts] = name;
    this.postNext[this.posts] = this.nodeHead[node];
    this.nodeHead[node] = this.posts++;
  }

  private buildSkeletons(): void {
    // Collapsed skeletons (two-glyph confusions folded) for exact lookup.
    const c = group(this.words.map(skeleton));
    this.skelIds = c.ids;
    this.skelStart = c.start;
    this.skelWords = c.list;
    // Glyph skeletons (single glyphs folded only) for the Levenshtein search: folding rn→m or cl→d would
    // stretch ordinary edit distances ("cuticke" vs "cuticle").
    // Keyed by word, not by skeleton: a query finds word ids, with no indirection through a group.
    this.deletions = new DeletionIndex(this.words.map(glyphSkeleton), searchRadius);
    // About 16 bits per key (the words and their skeletons), two probes: about 1.5% false positives.
    let bits = 1 << 16;
    while (bits < (c.ids.size + this.words.length) * 16 && bits < 1 << 30) bits *= 2;
    this.skelBloom = new Int32Array(bits >>> 5);
    this.skelBloomMask = bits - 1;
    for (const k of c.ids.keys()) this.bloomAdd(stringHash(k));
    for (const w of this.words) this.bloomAdd(stringHash(w));
  }

  private bloomAdd(h: number): void {
    const x = bloomMix(h);
    const a = x & this.skelBloomMask;
    const b = bloomSecond(x) & this.skelBloomMask;
    this.skelBloom[a >>> 5] |= 1 << (a & 31);
    this.skelBloom[b >>> 5] |= 1 << (b & 31);
  }

  /** Whether a string of hash `h` ({@link stringHash}) may be a word of the names or a word's skeleton. */
  private bloomHas(h: number): boolean {
    const x = bloomMix(h);
    const a = x & this.skelBloomMask;
    const b = bloomSecond(x) & this.skelBloomMask;
    return (
      (this.skelBloom[a >>> 5] & (1 << (a & 31))) !== 0 && (this.skelBloom[b >>> 5] & (1 << (b & 31))) !== 0
    );
  }

  /**
   * What the index knows of a lower-cased text token: its flags, and its readings as dictionary words,
   * best first, or null when it has none. A dictionary word reads as itself; a stop word, a short token,
   * a number or a real English word reads only as itself (OCR left it legible: correcting it would only
   * add false matches). Other tokens get candidates by skeleton (exact lookup, then the deletion index
   * within 1-2 edits of the glyph skeleton), scored by {@link ocrDistance} within {@link maxTokenEdits};
   * and splits into two words ("refractoryanemia"). Memoized per distinct token (bounded): one hash
   * lookup per token of a text once its words were seen.
   */
  token(token: string): TokenInfo {
    const hit = this.memo.get(token);
    if (hit !== undefined) return hit;
    const r = this.classify(token);
    this.memo.set(token, r);
    return r;
  }

  /**
   * {@link token} of the token with id `id` in {@link TOKENS} (epoch `epoch`): an array read once the
   * token was seen.
   */
  tokenById(id: number, epoch: number): TokenInfo {
    if (epoch !== this.byIdEpoch) {
      this.byId = [];
      this.byIdEpoch = epoch;
    }
    let r = this.byId[id];
    if (r === undefined) {
      r = this.token(TOKENS.strings[id]);
      while (this.byId.length < id) this.byId.push(undefined);
      this.byId[id] = r;
    }
    return r;
  }

  /** The readings of a lower-cased text token (see {@link token}). */
  readings(token: string): Alt[] | null {
    return this.token(token).alts;
  }

  private classify(token: string): TokenInfo {
    const stop = isStopWord(token);
    const exact = this.vocab.get(token);
    const real = isRealWord(token);
    const flags = (stop ? TOKEN_STOP : 0) | (real ? 0 : TOKEN_SUSPECT);
    // A word of the names reads only as itself: OCR rarely turns a word into another real one, and
    // "correcting" mitochondrial to mitochondria or spore to pore would only add false matches.
    if (exact !== undefined)
      return { flags: flags | TOKEN_WORD, alts: [{ w0: exact, w1: -1, cost: 0, english: false }] };
    if (stop) return STOP_INFO;
    if (real) return REAL_INFO;
    const alts = this.generate(token, true);
    return alts === null ? SUSPECT_INFO : { flags, alts };
  }

  /**
   * {@link joinedReadings} of the tokens with ids `a` and `b` in {@link TOKENS} (epoch `epoch`) joined:
   * once a pair was seen, a probe of a table keyed by the two ids, without building the joined string.
   */
  joinedById(a: number, b: number, epoch: number): Alt[] | null {
    if (epoch !== this.pairEpoch || this.pairCount * 2 >= this.pairMask) this.resetPairs(epoch);
    const keys = this.pairKeys;
    let s = hash(a, b) & this.pairMask;
    for (;;) {
      const k = keys[s * 2];
      if (k < 0) break;
      if (k === a && keys[s * 2 + 1] === b) return this.pairAlts[s];
      s = (s + 1) & this.pairMask;
    }
    const r = this.joinedReadings(TOKENS.strings[a] + TOKENS.strings[b]);
    keys[s * 2] = a;
    keys[s * 2 + 1] = b;
    this.pairAlts[s] = r;
    this.pairCount++;
    return r;
  }

  /**
   * Empties the pair table, twice as large when it was full (at most {@link MAX_PAIRS} pairs, about 32
   * bytes each), back to small on a new epoch.
   */
  private resetPairs(epoch: number): void {
    const size = epoch !== this.pairEpoch ? 1024 : Math.min((this.pairMask + 1) * 2, MAX_PAIRS * 2);
    this.pairKeys = new Int32Array(size * 2).fill(-1);
    this.pairAlts = new Array(size).fill(null);
    // Growing keeps nothing: the pairs are found again through joinedReadings' own memo.
    this.pairMask = size - 1;
    this.pairCount = 0;
    this.pairEpoch = epoch;
  }

  /**
   * Readings of two adjacent tokens joined ("ane" + "mia"): as {@link readings}, with half an edit less
   * allowed (the split already is one error), and no further split into two words.
   */
  joinedReadings(joined: string): Alt[] | null {
    const hit = this.joinMemo.get(joined);
    if (hit !== undefined) return hit;
    const exact = this.vocab.get(joined);
    const r: Alt[] | null =
      exact !== undefined
        ? [{ w0: exact, w1: -1, cost: 0, english: false }]
        : isStopWord(joined) || isRealWord(joined)
          ? null
          : this.generate(joined, false);
    this.joinMemo.set(joined, r);
    return r;
  }

  private generate(token: string, deep: boolean): Alt[] | null {
    const alts: Alt[] = [];
    const len = token.length;
    // Two words run together are at most twice the longest word. A bound that also keeps a token of
    // thousands of letters (a base64 blob, a run of OCR garbage) from costing its square in deletions.
    if (len < 4 || len > 2 * this.maxWordLength + 3 || isNumber(token)) return null;
    this.stats.generations++;
    // Two tokens joined already paid for one error: half an edit less.
    const max = maxTokenEdits(len) - (deep ? 0 : 0.5);
    // Words scored for this token go into a small set of its own (it stays in the L1 cache, where a
    // stamp per word of the names would cost a cache miss a candidate).
    const seen = SEEN.begin();
    const wordLen = this.wordLen;
    const words = this.words;
    let inflected = false;
    const cut: Alt[] = [];
    const consider = (w: number) => {
      if (wordLen[w] < 4 || !seen.add(w)) return;
      const word = words[w];
      // An inflection, a word with more after it or one cut short is no misreading ("tRNAs",
      // "chromatids", "cytoplasmic", "beta1" read "betal"): the stemming modes are for inflections.
      // A close one means the token is legible as that word's form, so no other word is read into
      // it either ("chromatids" is not "chromatin"). But a word cut short by a letter or two (not
      // by an English ending) may be OCR's, and is its only reading: "epithelia" for "epithelial",
      // which the walk takes inside a name only. (Words under four letters were passed over.)
      if (word.startsWith(token) || token.startsWith(word)) {
        if (Math.abs(word.length - len) <= 2) {
          inflected = true;
          if (len < word.length && !isInflection(token, word))
            cut.push({ w0: w, w1: -1, cost: ocrDistance(token, word), english: false });
        }
        return;
      }
      this.stats.scored++;
      const d = ocrDistance(token, word, max);
      if (d <= max && d <= maxTokenEdits(word.length)) alts.push({ w0: w, w1: -1, cost: d, english: false });
    };
    const sid = this.skelIds.get(skeleton(token));
    if (sid !== undefined)
      for (let p = this.skelStart[sid]; p < this.skelStart[sid + 1]; p++) consider(this.skelWords[p]);
    const gk = glyphSkeleton(token);
    const radius = searchRadius(gk.length);
    // Past the longest word by more than the edits allowed, no word is near: no search.
    if (radius > 0 && this.deletions !== null && gk.length <= this.maxWordLength + 3) {
      const found = this.found;
      found.length = 0;
      const before = this.deletions.probes;
      this.deletions.query(gk, radius, found);
      this.stats.probes += this.deletions.probes - before;
      for (const w of found) consider(w);
    }
    if (inflected) return cut.length > 0 ? cut : null;
    // A garbled English word is that word misread, not a name's word as near ("brotbers" is brothers,
    // not the genus Brothera; "Arnerica" is America, not Armeria): readings no nearer than the
    // nearest English word other than their own are marked, and stand only inside a name of several
    // words ("celular membrane": cellar is as near as cellular).
    let worst = 0;
    for (const a of alts) if (a.w1 < 0 && a.cost > worst) worst = a.cost;
    if (worst > 0) {
      // An English word other than the reading's own (which may be a word of the names too).
      const e = nearestEnglish(token, gk, radius, worst);
      for (const a of alts)
        if (a.w1 < 0 && a.cost >= (this.words[a.w0] === e.w1 ? e.d2 : e.d1)) a.english = true;
    }
    // Two words run together: a known word (or skeleton) on each side of a split point. Not for two
    // tokens joined: split back where they were, they are the tokens themselves.
    if (deep && len >= 7) {
      const plain = skeleton(token) === token;
      // The skeleton of each prefix hashed as it grows: a split point whose prefix is neither a word
      // nor a word's skeleton fails the Bloom filter without a slice or a Map lookup.
      prefixSkeletonHashes(gk);
      for (let i = 3; i <= len - 3; i++) {
        if (!this.bloomHas(PREFIX_HASH[i])) continue;
        const a = this.exactish(token.slice(0, i), plain);
        if (a < 0) continue;
        const b = this.exactish(token.slice(i), plain);
        if (b < 0) continue;
        alts.push({ w0: a, w1: b, cost: 0.5, english: false });
      }
    }
    // A one- or two-letter word run into the next ("ttubule" for "T-tubule"): only where the two
    // words begin a name together, the second word at least five letters.
    if (deep && len >= 6) {
      for (let i = 1; i <= 2; i++) {
        const a = this.vocab.get(token.slice(0, i));
        if (a === undefined) continue;
        const c = this.rootChild[a];
        if (c < 0 || !this.bloomHas(suffixHash(token, i))) continue;
        const b = this.vocab.get(token.slice(i));
        if (b !== undefined && this.child(c, b) >= 0) alts.push({ w0: a, w1: b, cost: 0.5, english: false });
      }
    }
    if (alts.length === 0) return null;
    alts.sort((x, y) => x.cost - y.cost);
    if (alts.length > MAX_ALTS) alts.length = MAX_ALTS;
    return alts;
  }

  /** A word equal to `part`, or with its skeleton (when unique), or -1; `plain`: `part` is its own skeleton. */
  private exactish(part: string, plain: boolean): number {
    const w = this.vocab.get(part);
    if (w !== undefined) return w;
    if (part.length < 4) return -1;
    // A part of a token without confusable glyphs is its own skeleton.
    const sid = this.skelIds.get(plain ? part : skeleton(part));
    if (sid === undefined || this.skelStart[sid + 1] - this.skelStart[sid] !== 1) return -1;
    return this.skelWords[this.skelStart[sid]];
  }

  /** Number of trie edges (the names' words). */
  get edgeCount(): number {
    return this.edges;
  }
}

const SUFFIXES = [
  "s",
  "es",
  "ed",
  "d",
  "ing",
  "ly",
  "ness",
  "ment",
  "ments",
  "er",
  "ers",
  "est",
  "ion",
  "ions",
  "ity",
];

/** English words of four letters or more, and a deletion index of their glyph skeletons (key: word). */
interface EnglishIndex {
  words: string[];
  deletions: DeletionIndex;
}
let english: EnglishIndex | null = null;
const englishFound: number[] = [];

/**
 * The two English words nearest to `token` (glyph skeleton `gk`) within `max` OCR-weighted edits: the
 * nearest's distance and word, and the next one's distance (Infinity when there is none that near).
 * The index of the English lexicon (about 80k words of four letters or more) is built on first use,
 * once per process (about 170 ms). Cost: one deletion query of radius `radius`. Shared result object.
 */
function nearestEnglish(token: string, gk: string, radius: number, max: number): typeof NEAREST {
  if (english === null) {
    const words = [...englishWords()].filter((w) => w.length >= 4 && /^[a-z]+$/.test(w));
    english = { words, deletions: new DeletionIndex(words.map(glyphSkeleton), searchRadius) };
  }
  const e = english;
  englishFound.length = 0;
  if (radius > 0) e.deletions.query(gk, radius, englishFound);
  const r = NEAREST;
  r.d1 = Number.POSITIVE_INFINITY;
  r.w1 = "";
  r.d2 = Number.POSITIVE_INFINITY;
  for (const id of englishFound) {
    const word = e.words[id];
    if (word === r.w1) continue;
    const d = ocrDistance(token, word, Math.min(r.d2, max));
    if (d < r.d1) {
      r.d2 = r.d1;
      r.d1 = d;
      r.w1 = word;
    } else if (d < r.d2) r.d2 = d;
  }
  return r;
}
const NEAREST = { d1: 0, w1: "", d2: 0 };

/** Endings that make one word an inflection or derivation of another: {@link SUFFIXES} and a few more. */
const INFLECTIONS = new Set([...SUFFIXES, "ic", "al", "ical", "ation", "ations", "ive", "ous", "ar"]);

/**
 * Whether one of two lower-cased words is the other plus an English ending ("fibers", "cytoplasmic",
 * "development" of "develop"), or equal: a change of form, not an OCR error. O(length).
 */
export function isInflection(a: string, b: string): boolean {
  const short = a.length <= b.length ? a : b;
  const long = a.length <= b.length ? b : a;
  if (!long.startsWith(short)) return false;
  return long.length === short.length || INFLECTIONS.has(long.slice(short.length));
}

/** Whether `token` is `word` with its last letter doubled ("celll" for "cell"). */
function isDoubledEnd(token: string, word: string): boolean {
  return (
    token.length === word.length + 1 &&
    token.charCodeAt(token.length - 1) === word.charCodeAt(word.length - 1)
  );
}

/**
 * Whether a lower-cased token is a real English word: in the tagger's lexicon or a WordNet lemma
 * ({@link isWordNetLemma}), or a common word plus a common suffix on a stem of at least `minStem`
 * letters ("impairing", "steamboats"), or a prefix on such a word ("unchanged"), or a contraction
 * remnant. OCR rarely produces real words, and leaving them
 * alone is both a precision safeguard and what keeps clean text fast.
 */
export function isRealWord(token: string, minStem = 3): boolean {
  return isEnglishWord(token) || isWordNetLemma(token) || isDerivedWord(token, minStem);
}

/** A common word of English (not only a name), for the stems of {@link isRealWord}'s rules. */
function isCommonWord(word: string): boolean {
  return isCommonEnglishWord(word) || isWordNetLemma(word);
}

/**
 * Whether `token` is a common word plus a suffix, on a stem of at least `minStem` letters, or a
 * prefix on such a word or on a common word: a name as the stem would make OCR garbage parse as a
 * word ("carrer" is not Carr + er, "reacton" not re + Acton).
 */
function isDerivedWord(token: string, minStem: number): boolean {
  for (const suf of SUFFIXES) {
    if (token.length >= suf.length + minStem && token.endsWith(suf)) {
      const stem = token.slice(0, -suf.length);
      if (isCommonWord(stem) || isCommonWord(`${stem}e`)) return true;
    }
  }
  if (!/^(?:re|un|out|over|under|non|pre|post|anti|super|sub)[a-z]{4,}$/.test(token)) return false;
  // What the prefix leaves must be a word, or one with a suffix on a stem of four letters or more:
  // "unitcd" (OCR's "united") is not un + itc + d.
  const rest = token.replace(/^(?:re|un|out|over|under|non|pre|post|anti|super|sub)/, "");
  return isCommonWord(rest) || isDerivedWord(rest, 4);
}

function isNumber(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Words grouped by a key: key → group id, and the word ids of each group (CSR). */
function group(keys: string[]): { ids: Map<string, number>; start: Int32Array; list: Int32Array } {
  const order = Array.from(keys.keys()).sort((a, b) =>
    keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b,
  );
  const ids = new Map<string, number>();
  const start: number[] = [];
  const list = new Int32Array(order.length);
  let prev: string | null = null;
  for (let i = 0; i < order.length; i++) {
    const k = keys[order[i]];
    if (k !== prev) {
      prev = k;
      ids.set(k, start.length);
      start.push(i);
    }
    list[i] = order[i];
  }
  start.push(order.length);
  return { ids, start: Int32Array.from(start), list };
}

/**
 * A set of small integers for one candidate generation: open addressing over a table that grows with
 * the set (it starts at 256 slots, 2 KiB, and stays in the L1 cache for the usual few dozen ids);
 * {@link begin} empties it in O(1) by bumping a stamp.
 */
class SmallIntSet {
  private keys = new Int32Array(256);
  private stamps = new Int32Array(256);
  private stamp = 0;
  private size = 0;

  /** Empties the set; returns it. */
  begin(): this {
    this.stamp++;
    this.size = 0;
    if (this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    return this;
  }

  /** Adds `k` (≥ 0); whether it was not there. */
  add(k: number): boolean {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let s = Math.imul(k, 0x9e3779b1) >>> 8;
    for (;;) {
      s &= mask;
      if (this.stamps[s] !== this.stamp) break;
      if (this.keys[s] === k) return false;
      s++;
    }
    this.stamps[s] = this.stamp;
    this.keys[s] = k;
    this.size++;
    return true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldStamps = this.stamps;
    const live = this.stamp;
    this.keys = new Int32Array(oldKeys.length * 2);
    this.stamps = new Int32Array(oldKeys.length * 2);
    this.size = 0;
    for (let s = 0; s < oldKeys.length; s++) if (oldStamps[s] === live) this.add(oldKeys[s]);
  }
}
const SEEN = new SmallIntSet();

/** A polynomial hash of `s` (UTF-16 units) with its length mixed in: the key of {@link FuzzyIndex}'s Bloom filter. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, STRING_B) + s.charCodeAt(i)) | 0;
  return h ^ Math.imul(s.length, 0x9e3779b1);
}
const STRING_B = 0x01000193;

/** {@link stringHash} of `s.slice(from)`, without the slice. */
function suffixHash(s: string, from: number): number {
  let h = 0;
  for (let i = from; i < s.length; i++) h = (Math.imul(h, STRING_B) + s.charCodeAt(i)) | 0;
  return h ^ Math.imul(s.length - from, 0x9e3779b1);
}

/** Two-glyph confusions that {@link skeleton} collapses, first glyph × 128 + second → the one glyph. */
const COLLAPSE = new Int32Array(128 * 128).fill(-1);
COLLAPSE["r".charCodeAt(0) * 128 + "n".charCodeAt(0)] = "m".charCodeAt(0);
COLLAPSE["c".charCodeAt(0) * 128 + "l".charCodeAt(0)] = "d".charCodeAt(0);
COLLAPSE["v".charCodeAt(0) * 128 + "v".charCodeAt(0)] = "w".charCodeAt(0);

let PREFIX_HASH = new Int32Array(64);
let OUT_HASH = new Int32Array(64);
let OUT_AT = new Int32Array(64);
let STRADDLE = new Uint8Array(64);

/**
 * Fills `PREFIX_HASH[i]` with {@link stringHash} of `skeleton(token.slice(0, i))` for every i, from the
 * token's glyph skeleton `g` (one glyph per character): the collapsing of rn, cl and vv is replayed
 * left to right as `skeleton` does it, and a prefix that cuts a collapsed pair keeps its first glyph.
 * O(|g|), no allocation after warm-up; returns the shared array (valid until the next call).
 */
export function prefixSkeletonHashes(g: string): Int32Array {
  const n = g.length;
  if (PREFIX_HASH.length <= n + 1) {
    PREFIX_HASH = new Int32Array(n * 2 + 2);
    OUT_HASH = new Int32Array(n * 2 + 2);
    OUT_AT = new Int32Array(n * 2 + 2);
    STRADDLE = new Uint8Array(n * 2 + 2);
  }
  // OUT_HASH[k]: hash (without the length) of the first k glyphs of skeleton(g); OUT_AT[i]: how many
  // glyphs of skeleton(g) the first i glyphs of g make, where i does not cut a pair.
  let out = 0;
  OUT_HASH[0] = 0;
  OUT_AT[0] = 0;
  STRADDLE.fill(0, 0, n + 1);
  for (let p = 0; p < n; ) {
    const a = g.charCodeAt(p);
    const b = p + 1 < n ? g.charCodeAt(p + 1) : 0x80;
    const to = (a | b) < 128 ? COLLAPSE[a * 128 + b] : -1;
    OUT_HASH[out + 1] = (Math.imul(OUT_HASH[out], STRING_B) + (to >= 0 ? to : a)) | 0;
    out++;
    if (to >= 0) {
      STRADDLE[p + 1] = 1;
      OUT_AT[p + 2] = out;
      p += 2;
    } else {
      OUT_AT[p + 1] = out;
      p += 1;
    }
  }
  for (let i = 1; i <= n; i++) {
    if (STRADDLE[i] === 0) {
      const k = OUT_AT[i];
      PREFIX_HASH[i] = OUT_HASH[k] ^ Math.imul(k, 0x9e3779b1);
    } else {
      const k = OUT_AT[i - 1];
      const h = (Math.imul(OUT_HASH[k], STRING_B) + g.charCodeAt(i - 1)) | 0;
      PREFIX_HASH[i] = h ^ Math.imul(k + 1, 0x9e3779b1);
    }
  }
  return PREFIX_HASH;
}

function bloomMix(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

function bloomSecond(x: number): number {
  const y = Math.imul(x, 0x9e3779b1);
  return y ^ (y >>> 15);
}

function hash(node: number, word: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

const cache = new WeakMap<TagSegment, FuzzyIndex>();

/** The fuzzy index of `seg`, built on first use from its live docs and cached while the segment lives. */
export function fuzzyIndex(seg: TagSegment): FuzzyIndex {
  let idx = cache.get(seg);
  if (!idx) {
    idx = new FuzzyIndex(seg);
    cache.set(seg, idx);
  }
  return idx;
}
