import type { Annotation } from "../annotate/annotator.js";
import { type OverlapPolicy, resolveOverlaps } from "../annotate/overlaps.js";
import type { TagLexicon, TagSegment } from "../annotate/segment.js";
import { foldToAscii } from "../text/ascii-fold.js";
import { CHAR_CLASS, MARK, SURROGATE, WORD } from "../text/char-class.js";
import { growInt32, growUint8 } from "../util/grow.js";
import {
  type Alt,
  type FuzzyIndex,
  fuzzyIndex,
  TOKEN_STOP,
  TOKEN_SUSPECT,
  TOKEN_WORD,
} from "./fuzzy-index.js";
import { HASH_PRIME, HASH_SEED, TOKENS } from "./token-table.js";

/** Gap kinds between two adjacent tokens. */
const GAP_SPACE = 0; // spaces only, on one line: a split word may be joined
const GAP_LINE = 1; // white space with a line break
const GAP_HYPHEN_BREAK = 2; // a hyphen at the end of a line: a word broken across lines
const GAP_SOFT = 3; // other punctuation a name may span (hyphen, slash, comma, quotes, brackets)
const GAP_BLOCK = 4; // sentence punctuation: no name spans it
const GAP_COLON = 5; // a colon: OCR reads specks as colons ("chiamydospore: formation"); costs to span

/** Cost of a name spanning a colon ({@link GAP_COLON}); other gaps a name may span cost nothing. */
const COLON_COST = 0.5;
function spanCost(gap: number): number {
  return gap === GAP_COLON ? COLON_COST : 0;
}

/** The fuzzy mode's tokens of a text: lower-cased, accent-folded words with UTF-16 offsets. */
export interface FuzzyTokens {
  count: number;
  /** Each token's string (interned: the same string object for the same word). */
  words: string[];
  /** Each token's id in {@link TOKENS} (valid in epoch {@link FuzzyTokens.epoch}). */
  ids: Int32Array;
  epoch: number;
  begin: Int32Array;
  end: Int32Array;
  /** Kind of the gap after each token. */
  gap: Uint8Array;
}

/**
 * Tokenizes for the fuzzy mode: runs of letters, digits and marks, with `|` counted as a letter (OCR
 * reads `l` and `I` as bars). A possessive `'s` is dropped; other apostrophes split, as in the names.
 * Tokens are interned in {@link TOKENS} as they are scanned: an ASCII word seen before costs no
 * allocation. O(text length). The arrays returned are the caller's.
 */
export function fuzzyTokens(text: string): FuzzyTokens {
  const t = scanTokens(text);
  return {
    count: t.count,
    words: t.words.slice(0, t.count),
    ids: t.ids.slice(0, t.count),
    epoch: t.epoch,
    begin: t.begin.slice(0, t.count),
    end: t.end.slice(0, t.count),
    gap: t.gap.slice(0, t.count),
  };
}

/**
 * {@link fuzzyTokens} into buffers shared by every call (valid up to `count`, until the next call):
 * for {@link fuzzyAnnotate}, which is done with them before it returns.
 */
function scanTokens(text: string): FuzzyTokens {
  for (;;) {
    const epoch = TOKENS.epoch;
    const t = scan(text);
    // The table started over while scanning: ids before that point are stale; scan again.
    if (TOKENS.epoch === epoch) return t;
  }
}

/** Each ASCII code lower-cased when it continues a fuzzy token (letters, digits, `|`), else 0. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII_WORD[c] = c;
for (let c = 0x61; c <= 0x7a; c++) ASCII_WORD[c] = c;
for (let c = 0x41; c <= 0x5a; c++) ASCII_WORD[c] = c | 0x20;
ASCII_WORD[0x7c] = 0x7c;

const SHARED: FuzzyTokens = {
  count: 0,
  words: [],
  ids: new Int32Array(1024),
  epoch: 0,
  begin: new Int32Array(1024),
  end: new Int32Array(1024),
  gap: new Uint8Array(1024),
};

/** Makes room for `cap` tokens in {@link SHARED}, keeping the first `count`. */
function growShared(cap: number): void {
  const t = SHARED;
  t.begin = growInt32(t.begin, cap);
  t.end = growInt32(t.end, cap);
  t.ids = growInt32(t.ids, cap);
  t.gap = growUint8(t.gap, cap);
}

let tokenBytes = new Uint8Array(1024);

function scan(text: string): FuzzyTokens {
  const n = text.length;
  const t = SHARED;
  // English runs about six characters a token.
  if (t.begin.length < 16 + (n >> 2)) growShared(16 + (n >> 2));
  let begin = t.begin;
  let end = t.end;
  let gap = t.gap;
  let ids = t.ids;
  let cap = begin.length;
  // The lower-cased bytes of the token being scanned (ASCII): at most the text's length.
  if (tokenBytes.length < n) tokenBytes = new Uint8Array(n * 2);
  const tb = tokenBytes;
  const words = t.words;
  const strings = TOKENS.strings;
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let h: number;
    let ascii: boolean;
    if (c < 0x80) {
      const l = ASCII_WORD[c];
      if (l === 0) {
        i++;
        continue;
      }
      h = Math.imul(HASH_SEED ^ l, HASH_PRIME);
      tb[0] = l;
      ascii = true;
    } else {
      const k = CHAR_CLASS[c];
      if (k !== WORD && !(k === SURROGATE && i + 1 < n)) {
        i++;
        continue;
      }
      h = 0;
      ascii = false;
    }
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d < 0x80) {
        const l = ASCII_WORD[d];
        if (l === 0) break;
        h = Math.imul(h ^ l, HASH_PRIME);
        tb[j - i] = l;
        j++;
      } else {
        const dk = CHAR_CLASS[d];
        if (dk === WORD || dk === MARK || dk === SURROGATE) {
          ascii = false;
          j++;
        } else break;
      }
    }
    // Possessive: "…'s" followed by a non-word character.
    let next = j;
    if (j + 1 < n) {
      const q = text.charCodeAt(j);
      if (
        (q === 0x27 || q === 0x2019) &&
        (text.charCodeAt(j + 1) | 0x20) === 0x73 &&
        (j + 2 >= n || CHAR_CLASS[text.charCodeAt(j + 2)] !== WORD)
      )
        next = j + 2;
    }
    const id = ascii
      ? TOKENS.internBytes(tb, j - i, h, text, i)
      : TOKENS.intern(foldToAscii(text.slice(i, j).toLowerCase()));
    if (count === cap) {
      t.count = count;
      growShared(cap * 2);
      ({ begin, end, gap, ids } = t);
      cap = begin.length;
    }
    begin[count] = i;
    end[count] = j;
    ids[count] = id;
    words[count] = strings[id];
    if (count > 0) gap[count - 1] = classifyGap(text, end[count - 1], i);
    count++;
    i = next;
  }
  if (count > 0) gap[count - 1] = GAP_BLOCK;
  t.count = count;
  t.epoch = TOKENS.epoch;
  return t;
}

function classifyGap(text: string, from: number, to: number): number {
  if (to - from === 1) {
    const c = text.charCodeAt(from);
    if (c === 0x20) return GAP_SPACE;
    if (c === 0x0a) return GAP_LINE;
  }
  let newlines = 0;
  let hyphen = false;
  let other = false;
  let colon = false;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c === 0x0a) newlines++;
    else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0xa0) continue;
    else if (c === 0x2d || c === 0x2010 || c === 0x2011 || c === 0xad || c === 0xac) hyphen = true;
    else if (c === 0x2e || c === 0x3b || c === 0x21 || c === 0x3f || c === 0x2029) return GAP_BLOCK;
    else if (c === 0x3a) colon = true;
    else other = true;
  }
  if (colon) return GAP_COLON;
  // Blank lines do not block: OCR inserts them between lines of one paragraph.
  if (hyphen && newlines === 1 && !other) return GAP_HYPHEN_BREAK;
  if (hyphen || other) return GAP_SOFT;
  return newlines > 0 ? GAP_LINE : GAP_SPACE;
}

/**
 * Whether OCR may have split a word between tokens `k` and `k + 1` (worth trying them joined): a hyphen
 * at a line end, or one space between two pieces that are not stop words, where both are not English
 * words, or one is not and the other is a short stub ("apopto tic", "adhe sion"). Two real words or a
 * real word beside a garbled one are left apart: joining them costs a candidate generation per pair
 * and hardly ever finds a name.
 */
function joinable(t: FuzzyTokens, k: number, flags: Uint8Array): boolean {
  const g = t.gap[k];
  if (g === GAP_HYPHEN_BREAK) return true;
  const a = flags[k];
  const b = flags[k + 1];
  // Neither garbled (most pairs of a text): nothing to join.
  if (((a | b) & TOKEN_SUSPECT) === 0) return false;
  if (g !== GAP_SPACE || t.end[k] + 1 !== t.begin[k + 1]) return false;
  if (((a | b) & TOKEN_STOP) !== 0) return false;
  // Two words of the names read as themselves ("chondroitin sulfate" is not "chondroitinsulfatase").
  if ((a & b & TOKEN_WORD) !== 0) return false;
  if ((a & b & TOKEN_SUSPECT) !== 0) return true;
  if ((a & TOKEN_SUSPECT) !== 0) return t.end[k + 1] - t.begin[k + 1] <= MAX_STUB;
  if ((b & TOKEN_SUSPECT) !== 0) return t.end[k] - t.begin[k] <= MAX_STUB;
  return false;
}

/** Longest piece of a split word that may be an English word ("tic" of "apopto tic"). */
const MAX_STUB = 3;

/** One fuzzy match before overlaps: tokens `[first, last]`, a trie node, its cost and lengths. */
interface Found {
  first: number;
  last: number;
  node: number;
  cost: number;
  covLen: number;
  nameLen: number;
  seg: number;
  ambiguous: boolean;
  /** Characters of the first token before the name (an article run into it: "AG protein"). */
  lead: number;
}

/** Options of {@link fuzzyAnnotate}. */
export interface FuzzyOptions {
  /** Smallest confidence of a match with edits. @default 0.8 */
  threshold?: number;
  /** @default "LONGEST_DOMINANT_RIGHT" */
  overlaps?: OverlapPolicy;
}

/** A fuzzy annotation: the annotator's {@link Annotation} shape with `matching: "fuzzy"`. */
export type FuzzyAnnotation = Omit<Annotation, "matching"> & { matching: "fuzzy" };

/** Cost of joining two tokens that a space split ("ane mia"); a hyphen at a line end costs nothing. */
const JOIN_COST = 0.3;
/** Fuzzy matches of a single word need a token at least this long. */
const MIN_SINGLE_FUZZY = 5;
/** Extra cost of reading a token as a name's next word it is not a candidate of (see the walk). */
const CONTEXT_COST = 0.25;
/** Nodes with more children than this are not searched for a token in context. */
const MAX_CONTEXT_CHILDREN = 512;
/** ... nor, with the relaxed bound, past this many: more children, more words two edits away. */
const MAX_RELAXED_CHILDREN = 128;
/** First words of a fitting length looked at for a garbled token that may begin a name. */
const MAX_FIRST_WORDS = 512;

/**
 * Annotates `text` against `lexicons` tolerating OCR errors. Tokens are read as dictionary words
 * ({@link FuzzyIndex.readings}: exact, confusable glyphs, bounded edits, two words run together), adjacent
 * tokens are also tried joined (a word split by a space or broken by a hyphen at a line end), and a
 * walk of the names' word trie from each token finds the names whose words the tokens can be read as.
 * Per span, the cheapest reading wins; a span whose cheapest readings are different names is ambiguous
 * and dropped when it needed edits. Confidence is `1 − cost / longer` with OCR-weighted edits.
 *
 * Cost: O(tokens × readings along trie paths) plus one candidate generation per distinct suspect token
 * per segment (memoized across documents); the lexicon is never scanned.
 */
export function fuzzyAnnotate(
  text: string,
  lexicons: readonly TagLexicon[],
  options: FuzzyOptions = {},
): FuzzyAnnotation[] {
  const threshold = options.threshold ?? 0.8;
  const policy = options.overlaps ?? "LONGEST_DOMINANT_RIGHT";
  const t = scanTokens(text);
  const out: FuzzyAnnotation[] = [];
  if (t.count === 0) return out;
  const n = t.count;
  // Per token, for the segment being walked: its flags and readings; and the readings of it joined
  // with the next. Shared across calls (valid up to n).
  if (SCRATCH.flags.length < n) {
    SCRATCH.flags = new Uint8Array(n * 2);
    SCRATCH.single.length = n * 2;
    SCRATCH.pair.length = n * 2;
  }
  const { flags, single, pair } = SCRATCH;
  for (const lex of lexicons) {
    const segments = lex.segments();
    const found: Found[] = [];
    for (let s = 0; s < segments.length; s++) {
      const idx = fuzzyIndex(segments[s]);
      const ids = t.ids;
      for (let k = 0; k < n; k++) {
        const r = idx.tokenById(ids[k], t.epoch);
        flags[k] = r.flags;
        single[k] = r.alts;
      }
      for (let k = 0; k + 1 < n; k++)
        pair[k] = joinable(t, k, flags) ? idx.joinedById(ids[k], ids[k + 1], t.epoch) : null;
      pair[n - 1] = null;
      walkSegment(idx, segments[s], text, t, SCRATCH, s, threshold, found);
    }
    if (found.length === 0) continue;
    // Distinct spans → overlap policy → every kept candidate.
    found.sort((a, b) => a.first - b.first || a.last - b.last || a.seg - b.seg);
    const first: number[] = [];
    const last: number[] = [];
    const spanOf = new Int32Array(found.length);
    for (let k = 0; k < found.length; k++) {
      const f = found[k];
      const n = first.length;
      if (n === 0 || first[n - 1] !== f.first || last[n - 1] !== f.last) {
        first.push(f.first);
        last.push(f.last);
      }
      spanOf[k] = first.length - 1;
    }
    const kept = new Uint8Array(first.length);
    const spans = { count: first.length, first: Int32Array.from(first), last: Int32Array.from(last) };
    for (const sp of resolveOverlaps(spans, policy, t.begin, t.end)) kept[sp] = 1;
    for (let k = 0; k < found.length; k++) {
      if (!kept[spanOf[k]]) continue;
      const f = found[k];
      const seg = segments[f.seg];
      const idx = fuzzyIndex(seg);
      const begin = t.begin[f.first] + f.lead;
      const end = t.end[f.last];
      const confidence = f.cost === 0 ? 1 : Math.max(0, 1 - f.cost / Math.max(f.covLen, f.nameLen));
      for (let p = idx.nodeHead[f.node]; p >= 0; p = idx.postNext[p]) {
        const doc = idx.postDoc[p];
        if (!seg.isLive(doc)) continue;
        out.push({
          id: seg.entityId(doc),
          lexicon: lex.name,
          begin,
          end,
          coveredText: text.slice(begin, end),
          confidence,
          synonym: seg.entityNames(doc)[idx.postName[p]],
          matching: "fuzzy",
        });
      }
    }
  }
  return out;
}

/** Whether UTF-16 unit `c` is a lower-case ASCII letter or any letter beyond ASCII. */
function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c >= 0x80;
}

/** Whether `text[from, to)` is all capital letters or digits. */
function isCapitals(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

function hasLivePosting(idx: FuzzyIndex, node: number, seg: { isLive(doc: number): boolean }): boolean {
  for (let p = idx.nodeHead[node]; p >= 0; p = idx.postNext[p]) if (seg.isLive(idx.postDoc[p])) return true;
  return false;
}

/** What {@link fuzzyAnnotate} knows of each token of the text for the segment walked. */
interface TokenScratch {
  flags: Uint8Array;
  single: (Alt[] | null)[];
  pair: (Alt[] | null)[];
}
const SCRATCH: TokenScratch = { flags: new Uint8Array(0), single: [], pair: [] };

function walkSegment(
  idx: FuzzyIndex,
  segment: TagSegment,
  text: string,
  t: FuzzyTokens,
  tokens: TokenScratch,
  seg: number,
  threshold: number,
  found: Found[],
): void {
  const n = t.count;
  const { flags, single, pair } = tokens;
  const maxWords = idx.maxWords;
  const words = idx.words;
  // Best found per span in this segment: key → index in `found`.
  const best = new Map<number, number>();
  const baseFound = found.length;
  let lead = 0;

  const record = (
    first: number,
    last: number,
    node: number,
    cost: number,
    covLen: number,
    nameLen: number,
    nw: number,
  ) => {
    if (idx.nodeHead[node] < 0 || !hasLivePosting(idx, node, segment)) return;
    if (cost > 0) {
      const conf = 1 - cost / Math.max(covLen, nameLen);
      if (conf < threshold) return;
      // One word with more than confusable glyphs: both the token and the name must be long enough.
      if (
        nw === 1 &&
        first === last &&
        (t.words[first].length < MIN_SINGLE_FUZZY || (cost > 0.5 && nameLen < MIN_SINGLE_FUZZY))
      )
        return;
    }
    const key = first * 4096 + (last - first);
    const at = best.get(key);
    if (at === undefined) {
      best.set(key, found.length);
      found.push({ first, last, node, cost, covLen, nameLen, seg, ambiguous: false, lead });
      return;
    }
    const f = found[at];
    if (cost < f.cost) {
      f.node = node;
      f.cost = cost;
      f.covLen = covLen;
      f.nameLen = nameLen;
      f.ambiguous = false;
      f.lead = lead;
    } else if (cost === f.cost && node !== f.node && cost > 0) f.ambiguous = true;
  };

  // Follows one reading of the tokens [first, last] from `node` (one name word, or two for a token read
  // as two): records the match it reaches and walks on unless a block boundary follows. `nameLen`
  // already counts the separator before the reading. False when no name goes on with its first word.
  const follow = (
    first: number,
    last: number,
    node: number,
    alt: Alt,
    cost: number,
    covLen: number,
    nameLen: number,
    nw: number,
  ): boolean => {
    let c = idx.child(node, alt.w0);
    if (c < 0) return false;
    let nl = nameLen + words[alt.w0].length;
    let w = nw + 1;
    if (alt.w1 >= 0) {
      c = idx.child(c, alt.w1);
      if (c < 0) return true;
      nl += 1 + words[alt.w1].length;
      w++;
    }
    // A word cut short stands for a name's word inside a name ("epithelia cell differentiation"), not
    // alone: "envelop" is a word, not "envelope" misread; so does a reading as near to an English word.
    const alone =
      nw === 0 &&
      alt.w1 < 0 &&
      alt.cost > 0 &&
      (alt.english || (first === last && words[alt.w0].startsWith(t.words[first])));
    if (!alone) record(first, last, c, cost, covLen, nl, w);
    if (t.gap[last] !== GAP_BLOCK) walk(first, last + 1, c, cost + spanCost(t.gap[last]), covLen, nl, w);
    return true;
  };

  // Token k read as the next word of a name begun, for each (word, child, cost) triple of `near`: the
  // match recorded, and the walk on. `nameLen` counts the separator before the word.
  const readAsNext = (
    first: number,
    k: number,
    near: number[],
    cost: number,
    covLen: number,
    nameLen: number,
    nw: number,
  ) => {
    for (let r = 0; r < near.length; r += 3) {
      const nl = nameLen + words[near[r]].length;
      const cc = cost + near[r + 2] + CONTEXT_COST;
      record(first, k, near[r + 1], cc, covLen, nl, nw + 1);
      if (t.gap[k] !== GAP_BLOCK)
        walk(first, k + 1, near[r + 1], cc + spanCost(t.gap[k]), covLen, nl, nw + 1);
    }
  };

  // Depth-first walk: `node` reached after reading tokens [first, k); `nw` words read.
  const walk = (
    first: number,
    k: number,
    node: number,
    cost: number,
    covLen: number,
    nameLen: number,
    nw: number,
    relaxed = false,
  ) => {
    if (k >= n || nw >= maxWords) return;
    const sep = k > first ? 1 : 0;
    const a1 = single[k];
    let extended = false;
    if (a1 !== null) {
      const cl = covLen + sep + t.words[k].length;
      for (let r = 0; r < a1.length; r++)
        if (follow(first, k, node, a1[r], cost + a1[r].cost, cl, nameLen + sep, nw)) extended = true;
    }
    // Inside a name begun, a token none of whose readings goes on may still be its next word misread
    // as another real word ("plasma membrane hounded cell projection").
    const word = t.words[k];
    // A garbled token of three or four letters too ("host cel cytoplasm", "epithelial cll"); a real
    // word that short is left alone.
    const suspect = (flags[k] & TOKEN_SUSPECT) !== 0;
    if (
      node !== 0 &&
      !extended &&
      (word.length >= MIN_SINGLE_FUZZY || (suspect && word.length >= 3)) &&
      (flags[k] & TOKEN_STOP) === 0
    ) {
      const near: number[] = [];
      // A real word may be misread into another only by a confusion or one edit ("hounded"), not by
      // a change of meaning ("dependent" for "independent").
      const maxEdits = suspect ? Number.POSITIVE_INFINITY : 1;
      idx.childrenNear(node, word, MAX_CONTEXT_CHILDREN, maxEdits, near);
      const cl = covLen + sep + word.length;
      readAsNext(first, k, near, cost, cl, nameLen + sep, nw);
      // A garbled token between words of a name, past the edits a word alone may take ("adult ctin-hased
      // cuticle development"): read as the name's next word if the name's next word follows; then the
      // whole name's confidence bounds the edits. Never twice in a row, never at the name's end.
      if (near.length === 0 && suspect && !relaxed && t.gap[k] !== GAP_BLOCK && k + 1 < n) {
        idx.childrenNear(node, word, MAX_RELAXED_CHILDREN, maxEdits, near, true);
        for (let r = 0; r < near.length; r += 3) {
          const nl = nameLen + sep + words[near[r]].length;
          const cc = cost + near[r + 2] + CONTEXT_COST;
          walk(first, k + 1, near[r + 1], cc + spanCost(t.gap[k]), cl, nl, nw + 1, true);
        }
      }
    }
    // A token of one to three characters inside a name begun, garbled by confusable glyphs only
    // ("meiosis |", "photosystem ll", "calcium jon-dependent"): read as the name's next word. Not a
    // letter for another ("polymerase I" is not polymerase L).
    if (
      node !== 0 &&
      !extended &&
      word.length <= 3 &&
      (word.length > 1 || !isLetter(word.charCodeAt(0))) &&
      (flags[k] & TOKEN_STOP) === 0
    ) {
      const near: number[] = [];
      idx.childrenSameGlyphs(node, word, MAX_CONTEXT_CHILDREN, near);
      readAsNext(first, k, near, cost, covLen + sep + word.length, nameLen + sep, nw);
    }
    const a2 = pair[k];
    if (a2 !== null) {
      const cl = covLen + sep + t.words[k].length + 1 + t.words[k + 1].length;
      const jc = t.gap[k] === GAP_HYPHEN_BREAK ? 0 : JOIN_COST;
      for (let r = 0; r < a2.length; r++)
        follow(first, k + 1, node, a2[r], cost + a2[r].cost + jc, cl, nameLen + sep, nw);
    }
  };

  for (let k = 0; k < n; k++) {
    if (single[k] !== null || pair[k] !== null) walk(k, k, 0, 0, 0, 0, 0);
    // A garbled token of two to four characters that begins a name, vouched for by the name's next
    // word read as itself: "cel polarity", "cll surface", "wot signaling pathway", "1l-10". Not one
    // written in capitals or digits: a symbol ("LEM domain" is not GEM domain) or a number.
    const tw = t.words[k];
    if (
      (flags[k] & (TOKEN_SUSPECT | TOKEN_STOP)) === TOKEN_SUSPECT &&
      tw.length >= 2 &&
      tw.length <= 4 &&
      k + 1 < n &&
      t.gap[k] !== GAP_BLOCK &&
      single[k + 1] !== null &&
      !isCapitals(text, t.begin[k], t.end[k])
    ) {
      const a1 = single[k + 1] as Alt[];
      const cl = tw.length + 1 + t.words[k + 1].length;
      for (let r = 0; r < a1.length; r++) {
        const alt = a1[r];
        if (alt.cost > 0 || alt.w1 >= 0) continue;
        const near: number[] = [];
        idx.firstWordsBefore(alt.w0, tw, 1, MAX_FIRST_WORDS, near);
        for (let q = 0; q < near.length; q += 3) {
          const nl = words[near[q]].length + 1;
          follow(k, k + 1, near[q + 1], alt, near[q + 2] + CONTEXT_COST + spanCost(t.gap[k]), cl, nl, 1);
        }
      }
    }
    // The article "a" run into a name's first word ("AG protein-coupled receptor"): the rest must be a
    // word of the names, long or written in capitals (a symbol), and more words of the name must follow.
    const w = t.words[k];
    if (w.length < 2 || w.charCodeAt(0) !== 0x61 || t.gap[k] === GAP_BLOCK) continue;
    // Checked before any allocation: most tokens starting with "a" are English words.
    if (w.length < 5 ? isCapitals(text, t.begin[k] + 1, t.end[k]) : (flags[k] & TOKEN_SUSPECT) !== 0) {
      const rw = idx.vocab.get(w.slice(1));
      if (rw === undefined) continue;
      const c = idx.child(0, rw);
      if (c < 0) continue;
      lead = 1;
      walk(k, k + 1, c, JOIN_COST + spanCost(t.gap[k]), w.length - 1, w.length - 1, 1);
      lead = 0;
    }
  }
  // Drop ambiguous fuzzy spans and spans whose names are all dead.
  let w = baseFound;
  for (let r = baseFound; r < found.length; r++) {
    const f = found[r];
    if (f.ambiguous) continue;
    found[w++] = f;
  }
  found.length = w;
}
