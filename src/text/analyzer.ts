import { growInt32, growUint8 } from "../util/grow.js";
import { foldToAscii } from "./ascii-fold.js";
import { APOS, BLOCK, CHAR_CLASS, classifyCodePoint, MARK, SURROGATE, WORD } from "./char-class.js";
import { krovetzStem } from "./krovetz-stemmer.js";
import { minimalStem } from "./minimal-stemmer.js";
import { MODE_STEPS, type ModeSteps, type StreamingMode } from "./modes.js";
import { porterStem } from "./porter.js";
import { removePossessive } from "./possessive.js";
import { isStopWord } from "./stop-words.js";

/**
 * ASCII maps of the fast path, over every byte value: an ASCII letter or digit to its normalized byte
 * (lower-cased, or the same), anything else to 0 (a separator, the end sentinel, or the 0x80 that
 * stands for a non-ASCII unit; the apostrophe and 0x80 are checked apart).
 */
const ASCII_WORD_LOWER = Uint8Array.from({ length: 256 }, (_, c) =>
  c >= 0x80 || CHAR_CLASS[c] !== WORD ? 0 : c >= 0x41 && c <= 0x5a ? c + 32 : c,
);
const ASCII_WORD_SAME = Uint8Array.from({ length: 256 }, (_, c) =>
  c >= 0x80 || CHAR_CLASS[c] !== WORD ? 0 : c,
);

/**
 * FNV-1a over a token's normalized bytes, the hash of {@link AnalyzedText.hash}: `h = FNV_OFFSET`, then
 * `h = Math.imul(h ^ byte, FNV_PRIME)` per byte. (The scan writes the same numbers inline.)
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** The byte that joins the tokens of a name into an FST key (tokens never contain it). */
export const TOKEN_SEPARATOR = 0x20;

/**
 * The tokens of one text after analysis, in reusable typed arrays (no object or string per token).
 * Token `t` covers `text.slice(begin[t], end[t])` (UTF-16 offsets, `end` exclusive) and normalizes to
 * `bytes[byteStart[t], byteEnd[t])`. `blockBefore[t]` is 1 when a hard boundary (U+2029, emitted by the
 * markup clean-up between blocks) precedes the token: no match may span it. Tokens dropped by the mode
 * (stop words) are absent, so a walk steps over them.
 */
export class AnalyzedText {
  count = 0;
  begin: Int32Array = new Int32Array(64);
  end: Int32Array = new Int32Array(64);
  byteStart: Int32Array = new Int32Array(64);
  byteEnd: Int32Array = new Int32Array(64);
  blockBefore: Uint8Array = new Uint8Array(64);
  /** FNV-1a hash of each token's normalized bytes (lets the tagger memoize walks per distinct token). */
  hash: Int32Array = new Int32Array(64);
  /**
   * Normalized bytes. Each token starts at a multiple of 4 and is followed by zeros up to the next
   * one, so tokens can be compared four bytes at a time through {@link words}.
   */
  bytes: Uint8Array = new Uint8Array(512);
  /** `bytes` as int32 words (the same memory). */
  words: Int32Array = new Int32Array(this.bytes.buffer);
  byteLength = 0;
  /** Number of tokens the mode dropped (stop words). */
  dropped = 0;

  reset(): void {
    this.count = 0;
    this.byteLength = 0;
    this.dropped = 0;
  }

  /** Makes room for one more token and `moreBytes` more bytes. */
  reserve(moreBytes: number): void {
    if (this.count === this.begin.length) {
      const cap = this.count * 2;
      this.begin = growInt32(this.begin, cap);
      this.end = growInt32(this.end, cap);
      this.byteStart = growInt32(this.byteStart, cap);
      this.byteEnd = growInt32(this.byteEnd, cap);
      this.hash = growInt32(this.hash, cap);
      this.blockBefore = growUint8(this.blockBefore, cap);
    }
    if (this.byteLength + moreBytes > this.bytes.length) {
      const b = new Uint8Array((Math.max(this.bytes.length * 2, this.byteLength + moreBytes) + 3) & ~3);
      b.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = b;
      this.words = new Int32Array(b.buffer);
    }
  }
}

/** A growable byte buffer: `bytes[0, length)` holds what was appended. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes (doubling). */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let units = new Uint8Array(1 << 16);

/**
 * The text as one byte per UTF-16 code unit: the unit itself when it is ASCII, else 0x80 (the scan
 * then reads that character from the string), so offsets stay those of the string; then a 0 (a
 * sentinel: the scan of a token needs no bounds check). A long ASCII text
 * (most English text) is encoded natively in one call at about 2 GB/s, and the scan reads a typed array
 * instead of calling `charCodeAt` per character (measured: 1M-name exact tagging 73 -> 80 MB per
 * CPU-second). Other texts take one JavaScript pass. The buffer is shared and reused (it keeps the size
 * of the longest text seen), so the result is valid until the next call.
 */
function unitsOf(text: string): Uint8Array {
  const n = text.length;
  if (units.length < n + 1) units = new Uint8Array(Math.max(n + 1, units.length * 2));
  const u = units;
  if (n >= 64) {
    // Every unit written as one byte, and all of them: the text is ASCII.
    const r = encoder.encodeInto(text, u);
    if (r.read === n && r.written === n) {
      u[n] = 0;
      return u;
    }
  }
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    u[k] = c < 0x80 ? c : 0x80;
  }
  u[n] = 0;
  return u;
}
const astralClass = new Map<number, number>();

/** Class of the code point starting at `i` (a surrogate pair), memoized per code point. */
function surrogateClass(text: string, i: number): number {
  const cp = text.codePointAt(i)!;
  if (cp < 0x10000) return 0; // a lone surrogate: broken UTF-16 is a separator, never a crash
  let c = astralClass.get(cp);
  if (c === undefined) {
    c = classifyCodePoint(cp);
    astralClass.set(cp, c);
  }
  return c;
}

/**
 * Memo of the last steps of a chain (stop words, stemming) per distinct token, keyed by the token's
 * bytes in an open-addressing table: a token seen before costs one hash probe and one compare, no
 * string. Each slot is one 16-byte record (key length or -1 for empty, key hash, key offset in the
 * pool, value length or -1 for "drop"), and a key's bytes are followed in the pool by its value's hash
 * and bytes, so a hit touches about two cache lines, and the table is 1 MiB (it was 2 MiB of 32-byte
 * records: a table the size of L2 evicted the tagger's step memo; measured in the commit). Keys and values start at multiples of 4
 * in the pool and are zero-padded, as tokens are in {@link AnalyzedText}, so the compare and the copy
 * move a word per four bytes. Bounded: cleared when full.
 */
/**
 * {@link TokenMemo} record values (VAL_LEN) other than a length: the token is dropped, or it is its own
 * value (nothing to copy), with the key's bytes in the pool; or the same two with a key of up to 4
 * bytes held in the record itself (KEY_START is then the key's one zero-padded word).
 */
const DROP = -1;
const SAME = -2;
const INLINE_DROP = -3;
const INLINE_SAME = -4;

function sameBytes(a: Uint8Array, b: Uint8Array, from: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[from + i]) return false;
  return true;
}

class TokenMemo {
  static readonly SLOTS = 1 << 16;
  /** Records of 4 int32: KEY_LEN, HASH, KEY_START, VAL_LEN (the analyzer probes short keys inline). */
  readonly slots = new Int32Array(TokenMemo.SLOTS * 4);
  private readonly pool = new Uint8Array(1 << 20);
  private readonly poolWords = new Int32Array(this.pool.buffer);
  private poolLen = 0;
  private used = 0;
  /** Hash of the value the last successful {@link apply} emitted (0: not known). */
  lastHash = 0;

  constructor(private readonly transform: (word: string) => string | null) {
    this.clear();
  }

  /**
   * Rewrites `t.bytes[from, t.byteLength)` in place with the memoized result; returns false when the
   * token is to be dropped. `from` is a multiple of 4 (where {@link AnalyzedText} starts tokens).
   * `hash` is the FNV-1a hash of those bytes when the caller has it (0: compute it). On success
   * {@link lastHash} is the hash of the bytes written (0: not known).
   */
  apply(t: AnalyzedText, from: number, hash = 0): boolean {
    const bytes = t.bytes;
    const to = t.byteLength;
    const len = to - from;
    let h = hash;
    if (h === 0) {
      h = 0x811c9dc5;
      for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    }
    const mask = TokenMemo.SLOTS - 1;
    const slots = this.slots;
    const pw = this.poolWords;
    const tw = t.words;
    const w0 = from >> 2;
    const full = len >> 2;
    // The token's last, partial word, its bytes past the token masked off (the pool's are zeros).
    const tail = len & 3 ? tw[w0 + full] & ((1 << ((len & 3) << 3)) - 1) : 0;
    let s = h & mask;
    for (;;) {
      const r = s << 2;
      const kl = slots[r];
      if (kl < 0) break;
      if (kl === len && slots[r + 1] === h) {
        const vl = slots[r + 3];
        if (vl <= INLINE_DROP) {
          // A key of up to 4 bytes kept in the record (see INLINE_DROP): no pool read.
          if (slots[r + 2] === (full === 1 ? tw[w0] : tail)) {
            if (vl === INLINE_DROP) return false;
            this.lastHash = h;
            return true;
          }
        } else {
          const k0 = slots[r + 2] >> 2;
          let w = 0;
          while (w < full && pw[k0 + w] === tw[w0 + w]) w++;
          if (w === full && (len & 3 ? pw[k0 + full] === tail : true)) return this.emit(t, from, r, h);
        }
      }
      s = (s + 1) & mask;
    }
    // Miss: the only place a string is made, once per distinct token.
    const word = decoder.decode(bytes.subarray(from, to));
    const out = this.transform(word);
    const enc = out === null ? null : encoder.encode(out);
    const room = len + (enc?.length ?? 0) + 10;
    if (room > this.pool.length / 4) {
      // Too big to remember (a pathological token): transform without memoizing.
      if (enc === null) return false;
      this.lastHash = 0;
      t.byteLength = from;
      t.reserve(enc.length + 3);
      t.bytes.set(enc, from);
      t.byteLength = from + enc.length;
      return true;
    }
    if (this.used * 4 >= TokenMemo.SLOTS * 3 || this.poolLen + room > this.pool.length) {
      this.clear();
      s = h & mask;
    }
    const r = s << 2;
    slots[r] = len;
    slots[r + 1] = h;
    const same = enc !== null && enc.length === len && sameBytes(enc, bytes, from);
    if (len <= 4 && (enc === null || same)) {
      slots[r + 2] = full === 1 ? tw[w0] : tail;
      slots[r + 3] = enc === null ? INLINE_DROP : INLINE_SAME;
      this.used++;
      if (enc === null) return false;
      this.lastHash = h;
      return true;
    }
    slots[r + 2] = this.put(bytes.subarray(from, to));
    if (enc === null) slots[r + 3] = DROP;
    else if (same) slots[r + 3] = SAME;
    else {
      slots[r + 3] = enc.length;
      let vh = 0x811c9dc5;
      for (let i = 0; i < enc.length; i++) vh = Math.imul(vh ^ enc[i], 0x01000193);
      // The value's hash, then its bytes, right after the key (where emit() finds them).
      this.poolWords[this.poolLen >> 2] = vh;
      this.poolLen += 4;
      this.put(enc);
    }
    this.used++;
    return this.emit(t, from, r, h);
  }

  /** Appends `b` to the pool, zero-padded to a multiple of 4, and returns where it starts. */
  private put(b: Uint8Array): number {
    const at = this.poolLen;
    this.pool.set(b, at);
    let end = at + b.length;
    while ((end & 3) !== 0) this.pool[end++] = 0;
    this.poolLen = end;
    return at;
  }

  /**
   * Writes the value of record `r` over the token at `from` (false: the token is dropped); `h` is the
   * token's hash (the value's when the value is the token).
   */
  private emit(t: AnalyzedText, from: number, r: number, h: number): boolean {
    const slots = this.slots;
    const vl = slots[r + 3];
    if (vl < 0) {
      if (vl === DROP) return false;
      // SAME: the token's bytes are the value already.
      this.lastHash = h;
      return true;
    }
    t.byteLength = from;
    if (from + vl + 3 > t.bytes.length) t.reserve(vl + 3);
    // A word per four bytes (the value is zero-padded in the pool; what follows the value is padding
    // of the token, which the analyzer zeroes anyway), not set(subarray()): a view per token is garbage.
    const out = t.words;
    const pw = this.poolWords;
    const o0 = from >> 2;
    // The value's hash and bytes follow the key's (zero-padded) bytes in the pool.
    const h0 = (slots[r + 2] + slots[r] + 3) >> 2;
    const v0 = h0 + 1;
    for (let w = 0, nw = (vl + 3) >> 2; w < nw; w++) out[o0 + w] = pw[v0 + w];
    t.byteLength = from + vl;
    this.lastHash = pw[h0];
    return true;
  }

  private clear(): void {
    for (let r = 0; r < this.slots.length; r += 4) this.slots[r] = -1;
    this.poolLen = 0;
    this.used = 0;
  }
}

function stemmerOf(steps: ModeSteps): ((w: string) => string) | null {
  switch (steps.stem) {
    case "minimal":
      return minimalStem;
    case "krovetz":
      return krovetzStem;
    case "porter":
      return porterStem;
    default:
      return null;
  }
}

/**
 * Tokenizes and normalizes text for one matching mode, identically for dictionary names and for the
 * text being tagged (one code path for both is what makes them meet).
 *
 * Tokens are maximal runs of Unicode letters and digits, with combining marks attached and an
 * apostrophe kept between two word characters; everything else separates ("β-catenin" is β + catenin,
 * "cGMP" stays whole). Offsets are UTF-16 indices into the text as given: surrogate pairs and
 * combining marks never shift them. Then: possessive `'s` removed, lower case (all but `exact`), ASCII
 * folding, stop words dropped, stemming.
 *
 * Cost: ASCII tokens are normalized byte by byte with no allocation; a token with non-ASCII characters
 * makes one string; stop-word and stemming steps are memoized per distinct token ({@link TokenMemo}).
 * An Analyzer is not thread-safe but is reusable across texts.
 */
export class Analyzer {
  readonly mode: StreamingMode;
  private readonly lower: boolean;
  private readonly memo: TokenMemo | null;
  private readonly scratch = new AnalyzedText();

  constructor(mode: StreamingMode) {
    this.mode = mode;
    const steps = MODE_STEPS[mode];
    this.lower = steps.lower;
    const stem = stemmerOf(steps);
    const stop = steps.stop;
    this.memo =
      stop || stem
        ? new TokenMemo((w) => {
            if (stop && isStopWord(w)) return null;
            return stem ? stem(w) : w;
          })
        : null;
  }

  /** Analyzes `text` into `into` (reset first) and returns it. O(text length). */
  analyze(text: string, into: AnalyzedText = new AnalyzedText()): AnalyzedText {
    into.reset();
    const n = text.length;
    const src = unitsOf(text);
    const word = this.lower ? ASCII_WORD_LOWER : ASCII_WORD_SAME;
    const memo = this.memo;
    const memoSlots = memo === null ? null : memo.slots;
    const cls = CHAR_CLASS;
    // An ASCII token writes at most one byte per character and pads to a multiple of 4, so at most
    // two bytes per character read (a one-letter token and its separator): reserve once, check
    // nothing per character.
    into.reserve(2 * n + 8);
    let bytes = into.bytes;
    let block = false;
    let i = 0;
    while (i < n) {
      const c = src[i];
      const from = into.byteLength;
      let p = from;
      let h = 0x811c9dc5;
      let ascii = true;
      let apos = false;
      let j: number;
      if (c < 0x80) {
        // The common case: an ASCII character. A word character starts a token whose normalized
        // bytes (and their hash) are written as it is scanned, one table read per character, until a
        // separator ends it or a non-ASCII character sends it down the general path.
        const f0 = word[c];
        if (f0 === 0) {
          i++;
          continue;
        }
        bytes[p++] = f0;
        h = Math.imul(h ^ f0, 0x01000193);
        j = i + 1;
        for (;;) {
          // Word characters: the table maps everything else to 0, and the sentinel ends the text.
          let f = word[src[j]];
          while (f !== 0) {
            bytes[p++] = f;
            h = Math.imul(h ^ f, 0x01000193);
            f = word[src[++j]];
          }
          const d = src[j];
          if (d === 0x27 && j + 1 < n && isWordAt(text, j + 1)) {
            bytes[p++] = 0x27;
            h = Math.imul(h ^ 0x27, 0x01000193);
            apos = true;
            j++;
            continue;
          }
          if (d === 0x80) {
            ascii = false;
            j = tokenEnd(text, j, n);
          }
          break;
        }
      } else {
        let k = cls[text.charCodeAt(i)];
        let width = 1;
        if (k === SURROGATE) {
          k = surrogateClass(text, i);
          width = k === 0 ? 1 : 2;
        }
        if (k !== WORD) {
          if (k === BLOCK) block = true;
          i += width;
          continue;
        }
        ascii = false;
        j = tokenEnd(text, i + width, n);
      }
      if (ascii) {
        into.byteLength = p;
        // Possessive: a trailing 's (the apostrophe is ASCII here) is dropped, as Lucene does. Only a
        // token with an apostrophe (so of 3 bytes or more) is checked.
        if (apos && bytes[p - 2] === 0x27 && (bytes[p - 1] === 0x73 || bytes[p - 1] === 0x53)) {
          into.byteLength = p - 2;
          h = 0;
        }
        if (memo === null) {
          this.push(into, i, j, from, block, h);
          block = false;
          // An ASCII character ending a token separates (the next scan would skip it): skip it now.
          i = src[j] < 0x80 ? j + 1 : j;
          continue;
        }
        // A key of up to 4 bytes in its home slot, dropped or kept as it is (most stop words and
        // short words), is settled here without a call; anything else goes through the memo.
        const len = into.byteLength - from;
        let keep: boolean;
        const r = (h & (TokenMemo.SLOTS - 1)) << 2;
        const slots = memoSlots!;
        if (
          len <= 4 &&
          h !== 0 &&
          slots[r] === len &&
          slots[r + 1] === h &&
          slots[r + 3] <= INLINE_DROP &&
          slots[r + 2] ===
            (len === 4 ? into.words[from >> 2] : into.words[from >> 2] & ((1 << (len << 3)) - 1))
        ) {
          keep = slots[r + 3] !== INLINE_DROP;
        } else {
          keep = memo.apply(into, from, h);
          h = memo.lastHash;
        }
        if (keep) this.push(into, i, j, from, block, h);
        else {
          into.byteLength = from;
          into.dropped++;
        }
      } else {
        into.byteLength = from;
        this.emitGeneral(text, i, j, block, into);
      }
      // A block boundary holds until a token is kept: a dropped stop word must not swallow it.
      if (block && into.count > 0 && into.begin[into.count - 1] === i) block = false;
      i = src[j] < 0x80 ? j + 1 : j;
      // The general path and the memo may have written more than they read (an ASCII token without
      // them writes at most what it read): keep the reserve.
      if (into.bytes.length - into.byteLength < 2 * (n - i) + 8) into.reserve(2 * (n - i) + 8);
      bytes = into.bytes;
    }
    return into;
  }

  /**
   * The FST key of a dictionary name: its normalized tokens joined by {@link TOKEN_SEPARATOR}, or null
   * when nothing remains (a name of stop words or punctuation), which the caller skips and counts.
   */
  key(name: string): Uint8Array | null {
    const sink = new ByteSink(64);
    return this.keyInto(name, sink) < 0 ? null : sink.bytes.slice(0, sink.length);
  }

  /**
   * Appends the FST key of `name` to `sink` and returns its length, or -1 (nothing appended) when the
   * name normalizes to nothing. The compiler packs a lexicon's keys this way: no array per key.
   */
  keyInto(name: string, sink: ByteSink): number {
    const t = this.analyze(name, this.scratch);
    if (t.count === 0) return -1;
    let len = t.count - 1;
    for (let k = 0; k < t.count; k++) len += t.byteEnd[k] - t.byteStart[k];
    sink.reserve(len);
    const out = sink.bytes;
    const src = t.bytes;
    let p = sink.length;
    for (let k = 0; k < t.count; k++) {
      if (k > 0) out[p++] = TOKEN_SEPARATOR;
      for (let b = t.byteStart[k]; b < t.byteEnd[k]; b++) out[p++] = src[b];
    }
    sink.length = p;
    return len;
  }

  /** Normalizes a token with non-ASCII characters through strings (folding, lower case, possessive). */
  private emitGeneral(text: string, b: number, e: number, block: boolean, t: AnalyzedText): void {
    const from = t.byteLength;
    let s = removePossessive(text.slice(b, e));
    if (this.lower) s = s.toLowerCase();
    s = foldToAscii(s);
    if (s.length === 0) return;
    t.reserve(s.length * 3 + 3);
    t.byteLength += encoder.encodeInto(s, t.bytes.subarray(from)).written;
    if (this.memo !== null && !this.memo.apply(t, from)) {
      t.byteLength = from;
      t.dropped++;
      return;
    }
    this.push(t, b, e, from, block, 0);
  }

  /** Records the token whose bytes are `t.bytes[from, t.byteLength)`, if any. */
  /**
   * Records the token whose bytes are `t.bytes[from, t.byteLength)`, if any, with its FNV-1a hash:
   * `hash` when the caller computed it while writing the bytes, else 0 to have it computed here.
   */
  private push(t: AnalyzedText, b: number, e: number, from: number, block: boolean, hash: number): void {
    if (t.byteLength === from) return;
    if (t.count === t.begin.length) t.reserve(0);
    const k = t.count++;
    t.begin[k] = b;
    t.end[k] = e;
    t.byteStart[k] = from;
    t.byteEnd[k] = t.byteLength;
    t.blockBefore[k] = block ? 1 : 0;
    const bytes = t.bytes;
    let end = t.byteLength;
    if (hash === 0) {
      hash = 0x811c9dc5;
      for (let i = from; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    }
    t.hash[k] = hash;
    // Zeros up to the next multiple of 4, where the next token starts (see AnalyzedText.words).
    while ((end & 3) !== 0) bytes[end++] = 0;
    t.byteLength = end;
  }
}

/**
 * End (exclusive) of the token that continues at `j`: word characters and combining marks (any
 * plane), and an apostrophe between two word characters.
 */
function tokenEnd(text: string, j: number, n: number): number {
  while (j < n) {
    const dk = CHAR_CLASS[text.charCodeAt(j)];
    if (dk === WORD || dk === MARK) j++;
    else if (dk === SURROGATE) {
      const sk = surrogateClass(text, j);
      if (sk !== WORD && sk !== MARK) break;
      j += 2;
    } else if (dk === APOS && j + 1 < n && isWordAt(text, j + 1)) j++;
    else break;
  }
  return j;
}

function isWordAt(text: string, i: number): boolean {
  const c = CHAR_CLASS[text.charCodeAt(i)];
  return c === WORD || (c === SURROGATE && surrogateClass(text, i) === WORD);
}
