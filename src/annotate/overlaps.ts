/**
 * SolrTextTagger's overlap policies, applied to candidate spans before they become annotations.
 * - `ALL`: every candidate.
 * - `NO_SUB`: drop a span that lies inside another one (an earlier-starting or longer one).
 * - `LONGEST_DOMINANT_RIGHT` (SoDA's default): repeatedly keep the longest span by characters, ties
 *   going to the one further right, and drop everything overlapping it.
 */
export const OVERLAP_POLICIES = ["ALL", "NO_SUB", "LONGEST_DOMINANT_RIGHT"] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** Whether `p` names an overlap policy (a type guard for input validation). */
export function isOverlapPolicy(p: unknown): p is OverlapPolicy {
  return typeof p === "string" && (OVERLAP_POLICIES as readonly string[]).includes(p);
}

/**
 * Candidate spans over tokens: span k covers tokens `[first[k], last[k]]` and characters
 * `[begin, end)`. Distinct candidates have distinct token spans (one key per token sequence).
 */
export interface SpanList {
  count: number;
  first: Int32Array;
  last: Int32Array;
}

let occupied = new Uint8Array(1024);
let sortKeys = new Float64Array(256);
let ranks = new Int32Array(256);

/**
 * Indices of the spans to keep under `policy`, ordered by (first token, last token). Two spans overlap
 * in characters exactly when they share a token, so overlap is checked on a token occupancy map.
 * `charBegin`/`charEnd` give each token's character offsets (for "longest by characters").
 *
 * Spans usually arrive in position order (the tagger emits them so); that is checked in O(m) and
 * otherwise established by one sort. Under LONGEST_DOMINANT_RIGHT, spans that overlap nothing are
 * kept at once and only each cluster of overlapping spans is sorted, longest first, by a native sort of
 * packed numbers (length × 2^26 + position rank), not a comparator sort. Cost: O(m log m) for m
 * candidates (O(m) when few overlap) plus the tokens they cover; no quadratic step, no allocation
 * beyond the result.
 */
export function resolveOverlaps(
  spans: SpanList,
  policy: OverlapPolicy,
  charBegin: Int32Array,
  charEnd: Int32Array,
): number[] {
  const { first, last } = spans;
  const m = spans.count;
  // order[r] = index of the span of rank r in position order (null: the identity).
  let order: Int32Array | null = null;
  for (let k = 1; k < m; k++) {
    if (first[k] < first[k - 1] || (first[k] === first[k - 1] && last[k] <= last[k - 1])) {
      order = Int32Array.from({ length: m }, (_, i) => i).sort(
        (a, b) => first[a] - first[b] || last[a] - last[b],
      );
      break;
    }
  }
  const kept: number[] = [];
  if (policy === "ALL") {
    for (let r = 0; r < m; r++) kept.push(order === null ? r : order[r]);
    return kept;
  }
  if (policy === "NO_SUB") {
    // Of the spans sharing a first token, only the longest (the last in position order) can survive;
    // it survives when it reaches past every span kept before it.
    let maxLast = -1;
    for (let r = 0; r < m; r++) {
      const k = order === null ? r : order[r];
      if (r + 1 < m && first[order === null ? r + 1 : order[r + 1]] === first[k]) continue;
      if (last[k] > maxLast) {
        kept.push(k);
        maxLast = last[k];
      }
    }
    return kept;
  }
  // Spans that share no token with their neighbours form clusters of their own: the greedy choice
  // inside one cluster never touches another, so each cluster is resolved alone, and a lone span (most
  // of them) is kept without sorting anything.
  for (let r0 = 0; r0 < m; ) {
    // The cluster of ranks [r0, r): each span starts at or before the last token reached so far.
    let maxLast = last[order === null ? r0 : order[r0]];
    let r = r0 + 1;
    for (; r < m; r++) {
      const k = order === null ? r : order[r];
      if (first[k] > maxLast) break;
      if (last[k] > maxLast) maxLast = last[k];
    }
    if (r - r0 === 1) kept.push(order === null ? r0 : order[r0]);
    else longestDominantRight(order, first, last, charBegin, charEnd, r0, r, kept);
    r0 = r;
  }
  return kept;
}

/**
 * LONGEST_DOMINANT_RIGHT on the spans of ranks `[r0, r1)` (position order, `order` mapping rank to
 * span, null for the identity): repeatedly keep the longest by characters, ties to the right, dropping
 * what overlaps it; appends the kept spans to `kept` in position order. Longest-first order is a native
 * sort of packed numbers (length × 2^26 + rank), not a comparator sort. O(s log s) for s spans plus the
 * tokens they cover.
 */
function longestDominantRight(
  order: Int32Array | null,
  first: Int32Array,
  last: Int32Array,
  charBegin: Int32Array,
  charEnd: Int32Array,
  r0: number,
  r1: number,
  kept: number[],
): void {
  const m = r1 - r0;
  if (sortKeys.length < m) {
    sortKeys = new Float64Array(m * 2);
    ranks = new Int32Array(m * 2);
  }
  let maxToken = 0;
  let packed = r1 <= 1 << 26;
  for (let r = r0; r < r1; r++) {
    const k = order === null ? r : order[r];
    const len = charEnd[last[k]] - charBegin[first[k]];
    if (len >= 1 << 26) packed = false;
    sortKeys[r - r0] = len * 67_108_864 + r;
    if (last[k] > maxToken) maxToken = last[k];
  }
  const byLength = sortKeys.subarray(0, m);
  if (packed) byLength.sort();
  else {
    // A text beyond 2^26 characters or spans: compare (length, rank) without packing.
    const rankOf = Float64Array.from({ length: m }, (_, i) => r0 + i);
    const lenOf = (r: number) => {
      const k = order === null ? r : order[r];
      return charEnd[last[k]] - charBegin[first[k]];
    };
    rankOf.sort((a, b) => lenOf(a) - lenOf(b) || a - b);
    byLength.set(rankOf);
  }
  if (occupied.length <= maxToken) occupied = new Uint8Array(maxToken * 2 + 1);
  // Longest first; among equal lengths the higher rank (further right) first.
  let keptCount = 0;
  for (let q = m - 1; q >= 0; q--) {
    const r = packed ? byLength[q] % 67_108_864 : byLength[q];
    const k = order === null ? r : order[r];
    let free = true;
    for (let t = first[k]; t <= last[k]; t++) {
      if (occupied[t]) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    for (let t = first[k]; t <= last[k]; t++) occupied[t] = 1;
    ranks[keptCount++] = r;
  }
  const keptRanks = ranks.subarray(0, keptCount).sort();
  for (let q = 0; q < keptCount; q++) {
    const k = order === null ? keptRanks[q] : order[keptRanks[q]];
    occupied.fill(0, first[k], last[k] + 1);
    kept.push(k);
  }
}
