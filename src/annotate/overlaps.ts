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

/** A span in characters; spans with equal begin and end are one span (several entities may share it). */
export interface Span {
  begin: number;
  end: number;
}

/**
 * Indices of the spans to keep under `policy`, in order of (begin, end). Equal spans are kept or
 * dropped together. Cost: O(m log m) for m candidates, plus O(m × kept) for the dominance checks,
 * where kept is small in practice (a text's annotations do not overlap much).
 */
export function resolveOverlaps(spans: readonly Span[], policy: OverlapPolicy): number[] {
  const idx = spans.map((_, i) => i);
  if (policy === "ALL")
    return idx.sort((a, b) => spans[a].begin - spans[b].begin || spans[a].end - spans[b].end);
  if (policy === "NO_SUB") {
    idx.sort((a, b) => spans[a].begin - spans[b].begin || spans[b].end - spans[a].end);
    const kept: number[] = [];
    let maxEnd = -1;
    let last: Span | null = null;
    for (const i of idx) {
      const s = spans[i];
      const same = last !== null && s.begin === last.begin && s.end === last.end;
      if (same || s.end > maxEnd) {
        kept.push(i);
        if (s.end > maxEnd) maxEnd = s.end;
        last = s;
      }
    }
    return kept.sort((a, b) => spans[a].begin - spans[b].begin || spans[a].end - spans[b].end);
  }
  // LONGEST_DOMINANT_RIGHT: longest first, then rightmost first.
  idx.sort((a, b) => {
    const la = spans[a].end - spans[a].begin;
    const lb = spans[b].end - spans[b].begin;
    return lb - la || spans[b].begin - spans[a].begin || spans[b].end - spans[a].end;
  });
  const kept: number[] = [];
  const keptSpans: Span[] = [];
  for (const i of idx) {
    const s = spans[i];
    let ok = true;
    for (const k of keptSpans) {
      if (s.begin === k.begin && s.end === k.end) break;
      if (s.begin < k.end && k.begin < s.end) {
        ok = false;
        break;
      }
    }
    if (ok) {
      kept.push(i);
      keptSpans.push(s);
    }
  }
  return kept.sort((a, b) => spans[a].begin - spans[b].begin || spans[a].end - spans[b].end);
}
