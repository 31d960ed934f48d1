import type { Automaton } from "./automaton.js";

/** Options of {@link Levenshtein}. */
export interface LevenshteinOptions {
  /** Largest edit distance accepted: 0, 1 or 2 (more makes searches explode). @default 1 */
  distance?: number;
  /**
   * Count a swap of two adjacent characters as one edit (optimal string alignment), as OCR and typing
   * errors do. @default false
   */
  transpositions?: boolean;
}

/**
 * A state of {@link Levenshtein}: one row of the edit-distance table against the query, kept immutable
 * because a search holds the states of many branches at once. `pending` bytes of a UTF-8 sequence are
 * buffered in `cp`/`need` until the code point is complete.
 */
export interface LevenshteinState {
  readonly row: Int32Array;
  readonly prevRow: Int32Array | null;
  readonly lastCp: number;
  readonly cp: number;
  readonly need: number;
}

/**
 * Accepts the byte strings whose UTF-8 decoding is within `distance` edits (insertions, deletions,
 * substitutions of code points, and optionally transpositions) of a query: the automaton to
 * {@link FstMap.search} for fuzzy lookups. Edits count Unicode code points, not bytes, so "é" for "e" is
 * one edit. Invalid UTF-8 bytes count as one character each.
 *
 * Cost: O(query length) per complete character read (one row of the table), with pruning as soon as
 * every cell of the row exceeds the distance.
 */
export class Levenshtein implements Automaton<LevenshteinState> {
  readonly query: Int32Array;
  readonly distance: number;
  readonly transpositions: boolean;

  constructor(query: string, options: LevenshteinOptions = {}) {
    const distance = options.distance ?? 1;
    if (!Number.isInteger(distance) || distance < 0 || distance > 2)
      throw new RangeError(`Levenshtein distance must be 0, 1 or 2, got ${distance}`);
    this.distance = distance;
    this.transpositions = options.transpositions ?? false;
    this.query = Int32Array.from(Array.from(query, (c) => c.codePointAt(0)!));
  }

  start(): LevenshteinState {
    const row = new Int32Array(this.query.length + 1);
    for (let j = 0; j < row.length; j++) row[j] = Math.min(j, this.distance + 1);
    return { row, prevRow: null, lastCp: -1, cp: 0, need: 0 };
  }

  isMatch(s: LevenshteinState): boolean {
    return s.need === 0 && s.row[this.query.length] <= this.distance;
  }

  canMatch(s: LevenshteinState): boolean {
    const row = s.row;
    for (let j = 0; j < row.length; j++) if (row[j] <= this.distance) return true;
    return false;
  }

  /** Edit distance of the bytes read so far to the whole query (capped at distance + 1). */
  distanceOf(s: LevenshteinState): number {
    return s.row[this.query.length];
  }

  accept(s: LevenshteinState, byte: number): LevenshteinState {
    if (s.need > 0) {
      if ((byte & 0xc0) === 0x80) {
        const cp = (s.cp << 6) | (byte & 0x3f);
        if (s.need === 1) return this.advance(s, cp);
        return { row: s.row, prevRow: s.prevRow, lastCp: s.lastCp, cp, need: s.need - 1 };
      }
      // A sequence cut short: the partial character counts as one, then this byte starts afresh.
      s = this.advance(s, 0x110000 + s.cp);
    }
    if (byte < 0x80) return this.advance(s, byte);
    if ((byte & 0xe0) === 0xc0)
      return { row: s.row, prevRow: s.prevRow, lastCp: s.lastCp, cp: byte & 0x1f, need: 1 };
    if ((byte & 0xf0) === 0xe0)
      return { row: s.row, prevRow: s.prevRow, lastCp: s.lastCp, cp: byte & 0x0f, need: 2 };
    if ((byte & 0xf8) === 0xf0)
      return { row: s.row, prevRow: s.prevRow, lastCp: s.lastCp, cp: byte & 0x07, need: 3 };
    return this.advance(s, 0x110000 + byte);
  }

  private advance(s: LevenshteinState, cp: number): LevenshteinState {
    const q = this.query;
    const prev = s.row;
    const cap = this.distance + 1;
    const row = new Int32Array(prev.length);
    row[0] = Math.min(prev[0] + 1, cap);
    for (let j = 1; j < row.length; j++) {
      let v = prev[j - 1] + (q[j - 1] === cp ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      if (this.transpositions && s.prevRow !== null && j > 1 && q[j - 1] === s.lastCp && q[j - 2] === cp) {
        const t = s.prevRow[j - 2] + 1;
        if (t < v) v = t;
      }
      row[j] = Math.min(v, cap);
    }
    return { row, prevRow: prev, lastCp: cp, cp: 0, need: 0 };
  }
}

/**
 * Edit distance between two strings over code points (optimal string alignment when `transpositions`):
 * the reference the automaton is tested against, and the character error rate's distance. Three rows,
 * O(|a|·|b|) time, O(|b|) memory.
 */
export function editDistance(a: string, b: string, transpositions = false): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  let before = new Int32Array(y.length + 1);
  let prev = new Int32Array(y.length + 1);
  let cur = new Int32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (transpositions && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        v = Math.min(v, before[j - 2] + 1);
      cur[j] = v;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[y.length];
}
