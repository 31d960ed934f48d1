/**
 * Edit distances that know how OCR fails: Damerau-Levenshtein (optimal string alignment) where
 * confusable glyphs cost less than an arbitrary substitution, including the two-for-one confusions
 * (`rn`/`m`, `cl`/`d`, `vv`/`w`, `li`/`h`, `ri`/`n`, `in`/`m`, `nn`/`m`). Both strings are expected lower-cased.
 */

/** Cost of a single-glyph confusion, by unordered pair (lower case). */
const PAIR_COST = new Map<number, number>();
function pair(a: string, b: string, cost: number): void {
  const x = a.charCodeAt(0);
  const y = b.charCodeAt(0);
  PAIR_COST.set(x * 65536 + y, cost);
  PAIR_COST.set(y * 65536 + x, cost);
}
const GROUPS: [string, number][] = [
  ["l1i|!j", 0.3],
  ["o0", 0.3],
  ["s5", 0.3],
  ["b8", 0.4],
  ["b6", 0.5],
  ["ec", 0.4],
  ["eo", 0.5],
  ["ao", 0.5],
  ["g9q", 0.4],
  ["z2", 0.4],
  ["uv", 0.5],
  ["nu", 0.5],
  ["nh", 0.5],
  ["ft", 0.5],
  ["tl", 0.5],
  ["ti", 0.5],
  ["rt", 0.6],
  ["hb", 0.5],
  ["mn", 0.6],
  ["yv", 0.5],
  ["ce", 0.4],
  ["a4", 0.5],
  ["a8", 0.6],
  ["e3", 0.5],
  ["s8", 0.5],
  ["gy", 0.6],
  ["kx", 0.6],
  ["kl", 0.6],
  ["kt", 0.7],
];
for (const [g, c] of GROUPS) for (const a of g) for (const b of g) if (a !== b) pair(a, b, c);

/** {@link PAIR_COST} of two ASCII codes as a table: `SUB[a * 128 + b]` (0 on the diagonal). */
const SUB = new Float64Array(128 * 128).fill(1);
for (let a = 0; a < 128; a++) SUB[a * 128 + a] = 0;
for (const [key, c] of PAIR_COST) SUB[Math.floor(key / 65536) * 128 + (key % 65536)] = c;

/** Cost of substituting glyph `a` by `b` (0 when equal, 1 when not confusable). O(1), a table read on ASCII. */
export function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  if ((a | b) < 128) return SUB[a * 128 + b];
  return PAIR_COST.get(a * 65536 + b) ?? 1;
}

/** Two glyphs read as one (or one as two), with their cost. */
const MULTI: [string, string, number][] = [
  ["rn", "m", 0.3],
  ["cl", "d", 0.3],
  ["vv", "w", 0.3],
  ["li", "h", 0.4],
  ["lr", "k", 0.5],
  ["ri", "n", 0.4],
  ["in", "m", 0.4],
  ["ni", "m", 0.4],
  ["nn", "m", 0.5],
  ["iu", "m", 0.5],
  ["ii", "u", 0.5],
  ["ll", "u", 0.6],
  ["fi", "h", 0.5],
];
// Each pair of ASCII glyphs reads as at most one glyph: its code (-1: none) and cost, by `x0 * 128 + x1`.
const MULTI_TO = new Int32Array(128 * 128).fill(-1);
const MULTI_COST = new Float64Array(128 * 128).fill(2);
for (const [two, one, c] of MULTI) {
  const at = two.charCodeAt(0) * 128 + two.charCodeAt(1);
  if (MULTI_TO[at] >= 0) throw new Error(`two readings of ${two}`);
  MULTI_TO[at] = one.charCodeAt(0);
  MULTI_COST[at] = c;
}

/** Cost of inserting or deleting a glyph: specks (`.`, `'`, `,`, `|`) and `i`/`l` strokes are cheaper. */
function indelCost(c: number): number {
  return c === 0x2e || c === 0x27 || c === 0x2c || c === 0x7c || c === 0x60 ? 0.5 : 1;
}

let dp = new Float64Array(1024);
// Per position j of `b` (1-based): its code, its insertion cost, and what its glyph pair b[j-2] b[j-1]
// reads as (-1: nothing) at what cost. Filled once per call, so that a cell reads no table but SUB.
let colCode = new Int32Array(64);
let colIndel = new Float64Array(64);
let colMultiTo = new Int32Array(64);
let colMultiCost = new Float64Array(64);

/**
 * OCR-weighted Damerau-Levenshtein distance between `a` and `b` (lower-cased), stopping early and
 * returning `Infinity` as soon as every cell of a row exceeds `max`. O(|a|·|b|), no allocation after
 * warm-up.
 */
export function ocrDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max * 2 + 2) return Number.POSITIVE_INFINITY;
  const w = m + 1;
  if ((n + 1) * w > dp.length) dp = new Float64Array((n + 1) * w * 2);
  if (colCode.length <= m) {
    colCode = new Int32Array(w * 2);
    colIndel = new Float64Array(w * 2);
    colMultiTo = new Int32Array(w * 2);
    colMultiCost = new Float64Array(w * 2);
  }
  const d = dp;
  const code = colCode;
  const indel = colIndel;
  const multiTo = colMultiTo;
  const multiC = colMultiCost;
  d[0] = 0;
  for (let j = 1; j <= m; j++) {
    const bj = b.charCodeAt(j - 1);
    code[j] = bj;
    indel[j] = indelCost(bj);
    d[j] = d[j - 1] + indel[j];
    const bp = j > 1 ? code[j - 1] : 0x80;
    if ((bp | bj) < 128) {
      multiTo[j] = MULTI_TO[bp * 128 + bj];
      multiC[j] = MULTI_COST[bp * 128 + bj];
    } else {
      multiTo[j] = -1;
      multiC[j] = 2;
    }
  }
  let ap = 0x80;
  for (let i = 1; i <= n; i++) {
    const ai = a.charCodeAt(i - 1);
    const aIndel = indelCost(ai);
    // What a[i-2] a[i-1] reads as, and at what cost (2 when nothing: no cheaper than two edits).
    let aTo = -1;
    let aCost = 2;
    if ((ap | ai) < 128) {
      aTo = MULTI_TO[ap * 128 + ai];
      aCost = MULTI_COST[ap * 128 + ai];
    }
    const sub = ai < 128 ? ai * 128 : -1;
    const row = i * w;
    d[row] = d[row - w] + aIndel;
    let rowMin = d[row];
    for (let j = 1; j <= m; j++) {
      const bj = code[j];
      let v = d[row - w + j - 1] + (sub >= 0 && bj < 128 ? SUB[sub + bj] : ai === bj ? 0 : 1);
      const del = d[row - w + j] + aIndel;
      if (del < v) v = del;
      const ins = d[row + j - 1] + indel[j];
      if (ins < v) v = ins;
      // two glyphs of a read as one of b, and one of a as two of b
      if (i > 1) {
        if (j > 1 && ai === code[j - 1] && ap === bj) {
          const t = d[row - 2 * w + j - 2] + 1;
          if (t < v) v = t;
        }
        const m1 = d[row - 2 * w + j - 1] + (aTo === bj ? aCost : 2);
        if (m1 < v) v = m1;
      }
      if (j > 1) {
        const m2 = d[row - w + j - 2] + (multiTo[j] === ai ? multiC[j] : 2);
        if (m2 < v) v = m2;
      }
      d[row + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return Number.POSITIVE_INFINITY;
    ap = ai;
  }
  return d[n * w + m];
}

/** `1 − ocrDistance / longer`, in [0, 1]. */
export function ocrSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  return Math.max(0, 1 - ocrDistance(a, b) / longer);
}

/**
 * The OCR skeleton of a lower-cased word: confusable glyphs mapped to one representative (`1 i | ! j`→`l`,
 * `0`→`o`, `5`→`s`, `8 6`→`b`, `9 q`→`g`, `2`→`z`), then two-glyph confusions collapsed (`rn`→`m`, `cl`→`d`,
 * `vv`→`w`). Words that OCR confuses tend to share a skeleton, so an exact skeleton
 * lookup finds them at no search cost; a Levenshtein search on skeletons finds the rest.
 */
export function skeleton(word: string): string {
  let s = glyphSkeleton(word);
  if (s.includes("rn")) s = s.replaceAll("rn", "m");
  if (s.includes("cl")) s = s.replaceAll("cl", "d");
  if (s.includes("vv")) s = s.replaceAll("vv", "w");
  return s;
}

/** A lower-cased word with confusable single glyphs mapped to one representative (see {@link skeleton}). */
export function glyphSkeleton(word: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < word.length; i++) {
    const r = SKELETON_CHAR[word.charCodeAt(i)];
    if (r === undefined) continue;
    out += word.slice(from, i) + r;
    from = i + 1;
  }
  return from === 0 ? word : out + word.slice(from);
}

const SKELETON_CHAR: (string | undefined)[] = [];
for (const [from, to] of [
  ["1i|!j", "l"],
  ["0", "o"],
  ["5", "s"],
  ["86", "b"],
  ["9q", "g"],
  ["2", "z"],
] as const)
  for (const c of from) SKELETON_CHAR[c.charCodeAt(0)] = to;
