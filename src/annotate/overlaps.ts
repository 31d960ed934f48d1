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

/**
 * Indices of the spans to keep under `policy`, ordered by (first token, last token). Two spans overlap
 * in characters exactly when they share a token, so overlap is checked on a token occupancy map.
 * `charBegin`/`charEnd` give each token's character offsets (for "longest by characters").
 * Cost: O(m log m) for m candidates plus the tokens they cover; no quadratic step.
 */
export function resolveOverlaps(
  spans: SpanList,
  policy: OverlapPolicy,
  charBegin: Int32Array,
  charEnd: Int32Array,
): number[] {
  const { first, last } = spans;
  const idx = Array.from({ length: spans.count }, (_, i) => i);
  const byPosition = (a: number, b: number) => first[a] - first[b] || last[a] - last[b];
  if (policy === "ALL") return idx.sort(byPosition);
  if (policy === "NO_SUB") {
    idx.sort((a, b) => first[a] - first[b] || last[b] - last[a]);
    const kept: number[] = [];
    let maxLast = -1;
    for (const i of idx) {
      if (last[i] > maxLast) {
        kept.push(i);
        maxLast = last[i];
      }
    }
    return kept;
  }
  const len = (k: number) => charEnd[last[k]] - charBegin[first[k]];
  idx.sort((a, b) => len(b) - len(a) || first[b] - first[a] || last[b] - last[a]);
  let maxToken = 0;
  for (let k = 0; k < spans.count; k++) if (last[k] > maxToken) maxToken = last[k];
  if (occupied.length <= maxToken) occupied = new Uint8Array(maxToken * 2 + 1);
  const kept: number[] = [];
  for (const i of idx) {
    let free = true;
    for (let t = first[i]; t <= last[i]; t++) {
      if (occupied[t]) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    for (let t = first[i]; t <= last[i]; t++) occupied[t] = 1;
    kept.push(i);
  }
  for (const i of kept) occupied.fill(0, first[i], last[i] + 1);
  return kept.sort(byPosition);
}
