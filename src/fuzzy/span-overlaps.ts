import type { OverlapPolicy } from "../annotate/overlaps.js";

/** A character span `[begin, end)`. */
export interface CharSpan {
  begin: number;
  end: number;
}

/**
 * Indices of the spans to keep under `policy`, on character spans (the chunk modes' candidates are not
 * token runs of one tokenization): `ALL` keeps all; `NO_SUB` drops a span inside another; `LONGEST_DOMINANT_RIGHT`
 * keeps the longest, ties to the right, dropping what overlaps it. Result ordered by (begin, end).
 * Cost: O(m log m) plus a binary search per span in the kept list.
 */
export function resolveCharOverlaps(spans: readonly CharSpan[], policy: OverlapPolicy): number[] {
  const idx = spans.map((_, i) => i);
  const byPos = (a: number, b: number) => spans[a].begin - spans[b].begin || spans[a].end - spans[b].end;
  if (policy === "ALL") return idx.sort(byPos);
  if (policy === "NO_SUB") {
    idx.sort((a, b) => spans[a].begin - spans[b].begin || spans[b].end - spans[a].end);
    const kept: number[] = [];
    let maxEnd = -1;
    for (const i of idx) {
      if (spans[i].end > maxEnd) {
        kept.push(i);
        maxEnd = spans[i].end;
      } else if (kept.length > 0) {
        const k = spans[kept[kept.length - 1]];
        if (k.begin === spans[i].begin && k.end === spans[i].end) kept.push(i);
      }
    }
    return kept.sort(byPos);
  }
  idx.sort((a, b) => {
    const la = spans[a].end - spans[a].begin;
    const lb = spans[b].end - spans[b].begin;
    return lb - la || spans[b].begin - spans[a].begin || spans[b].end - spans[a].end;
  });
  // Kept spans sorted by begin, disjoint.
  const begins: number[] = [];
  const ends: number[] = [];
  const kept: number[] = [];
  for (const i of idx) {
    const { begin, end } = spans[i];
    let lo = 0;
    let hi = begins.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (begins[mid] < begin) lo = mid + 1;
      else hi = mid;
    }
    const overlapsPrev = lo > 0 && ends[lo - 1] > begin;
    const overlapsNext = lo < begins.length && begins[lo] < end;
    if (overlapsPrev || overlapsNext) continue;
    begins.splice(lo, 0, begin);
    ends.splice(lo, 0, end);
    kept.push(i);
  }
  return kept.sort(byPos);
}
