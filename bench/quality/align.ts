/**
 * Where a mention of the clean text went in the OCR text: both texts squashed the same way (lower case,
 * hyphenation at line ends undone, runs of white space made one space), aligned character by character,
 * and a span of the clean text carried over to the span of the OCR text it aligns with.
 *
 * The quality harness uses it to judge a lost mention legible only where OCR put it: a name standing
 * elsewhere on the page (another "membrane", another "as") does not make this mention legible.
 */

/** A squashed text and the offsets of its characters in the text it came from. */
export interface Squashed {
  /** The squashed text. */
  text: string;
  /** `origin[i]`: offset in the original text of squashed character `i`; `origin[text.length]` = its length. */
  origin: Int32Array;
}

/**
 * `s` lower-cased, with "-" + line break (and the spaces around it) removed, and every run of white
 * space made one space; with the original offset of each character. O(|s|).
 */
export function squash(s: string): Squashed {
  const out: string[] = [];
  const origin: number[] = [];
  let i = 0;
  const n = s.length;
  const isSpace = (c: number) =>
    c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 45 /* - */) {
      // A hyphen, optional spaces, a line break, optional white space: a word broken across lines.
      let j = i + 1;
      while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
      if (j < n && (s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13)) {
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        i = j;
        continue;
      }
    }
    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      out.push(" ");
      origin.push(i);
      i = j;
      continue;
    }
    const lower = s[i].toLowerCase();
    out.push(lower.length === 1 ? lower : s[i]);
    origin.push(i);
    i++;
  }
  origin.push(n);
  return { text: out.join(""), origin: Int32Array.from(origin) };
}

/** The first index of the non-decreasing `a` whose value is at least `at` (a.length − 1 at most). O(log n). */
function lowerBound(a: Int32Array, at: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The squashed offset of original offset `at`: the first squashed character at or after it. */
export function squashedOffset(sq: Squashed, at: number): number {
  return lowerBound(sq.origin, at);
}

/**
 * A global alignment of `a` to `b` (unit-cost Levenshtein, full matrix): for each boundary `i` of `a`
 * (0..|a|), the lowest and highest boundary of `b` the alignment path passes with it. A span `[x, y)` of
 * `a` maps to `[lo[x], hi[y])` of `b`. O(|a| × |b|) time, |a| × |b| bytes.
 */
export function align(a: string, b: string): { lo: Int32Array; hi: Int32Array } {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  // 0 = diagonal, 1 = up (a's character deleted), 2 = left (b's character inserted).
  const dir = new Uint8Array((n + 1) * w);
  let prev = new Int32Array(w);
  let cur = new Int32Array(w);
  for (let j = 0; j <= m; j++) {
    prev[j] = j;
    dir[j] = 2;
  }
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    dir[i * w] = 1;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      let v = prev[j - 1] + (b.charCodeAt(j - 1) === c ? 0 : 1);
      let d = 0;
      if (prev[j] + 1 < v) {
        v = prev[j] + 1;
        d = 1;
      }
      if (cur[j - 1] + 1 < v) {
        v = cur[j - 1] + 1;
        d = 2;
      }
      cur[j] = v;
      dir[i * w + j] = d;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  const lo = new Int32Array(n + 1).fill(m);
  const hi = new Int32Array(n + 1).fill(0);
  let i = n;
  let j = m;
  for (;;) {
    if (j < lo[i]) lo[i] = j;
    if (j > hi[i]) hi[i] = j;
    if (i === 0 && j === 0) break;
    const d = i === 0 ? 2 : j === 0 ? 1 : dir[i * w + j];
    if (d === 0) {
      i--;
      j--;
    } else if (d === 1) i--;
    else j--;
  }
  return { lo, hi };
}

/** A clean text and its OCR reading, aligned: maps spans of the clean text to spans of the OCR text. */
export class PageAlignment {
  readonly clean: Squashed;
  readonly ocr: Squashed;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  constructor(cleanText: string, ocrText: string) {
    this.clean = squash(cleanText);
    this.ocr = squash(ocrText);
    const { lo, hi } = align(this.clean.text, this.ocr.text);
    this.lo = lo;
    this.hi = hi;
  }

  /** The squashed OCR span `[begin, end)` that the clean text's original span `[begin, end)` aligns with. */
  ocrSpan(begin: number, end: number): { begin: number; end: number } {
    const b = squashedOffset(this.clean, begin);
    const e = squashedOffset(this.clean, end);
    const ob = this.lo[b];
    const oe = Math.max(ob, this.hi[e]);
    return { begin: ob, end: oe };
  }

  /** The squashed clean offset that squashed OCR offset `at` aligns with (a binary search; O(log n)). */
  cleanOffset(at: number): number {
    // hi is non-decreasing in the clean offset: the first clean boundary whose span reaches `at`.
    return lowerBound(this.hi, at);
  }

  /** The squashed span of the OCR text's original span `[begin, end)`. */
  squashedOcr(begin: number, end: number): { begin: number; end: number } {
    return { begin: squashedOffset(this.ocr, begin), end: squashedOffset(this.ocr, end) };
  }
}
