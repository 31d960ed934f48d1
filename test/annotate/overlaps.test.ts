import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OVERLAP_POLICIES, type OverlapPolicy, resolveOverlaps } from "../../src/annotate/overlaps.js";

/** The policies as SolrTextTagger states them, by comparator sorts over plain arrays: the reference. */
function reference(
  first: number[],
  last: number[],
  policy: OverlapPolicy,
  charBegin: Int32Array,
  charEnd: Int32Array,
): number[] {
  const idx = first.map((_, i) => i);
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
  const used = new Set<number>();
  const kept: number[] = [];
  for (const i of idx) {
    let free = true;
    for (let t = first[i]; t <= last[i]; t++) if (used.has(t)) free = false;
    if (!free) continue;
    for (let t = first[i]; t <= last[i]; t++) used.add(t);
    kept.push(i);
  }
  return kept.sort(byPosition);
}

/** Distinct token spans over `tokens` tokens, in random order, with random token widths. */
const spansArb = fc
  .record({
    widths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }),
    gaps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 30, maxLength: 30 }),
    raw: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 })), { maxLength: 40 }),
    shuffle: fc.boolean(),
  })
  .map(({ widths, gaps, raw, shuffle }) => {
    const n = widths.length;
    const charBegin = new Int32Array(n);
    const charEnd = new Int32Array(n);
    let c = 0;
    for (let t = 0; t < n; t++) {
      charBegin[t] = c;
      charEnd[t] = c + widths[t];
      c = charEnd[t] + gaps[t];
    }
    const seen = new Set<string>();
    const pairs: [number, number][] = [];
    for (const [a, d] of raw) {
      const f = a % n;
      const l = Math.min(n - 1, f + d);
      if (seen.has(`${f},${l}`)) continue;
      seen.add(`${f},${l}`);
      pairs.push([f, l]);
    }
    if (!shuffle) pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return { charBegin, charEnd, first: pairs.map((p) => p[0]), last: pairs.map((p) => p[1]) };
  });

describe("resolveOverlaps", () => {
  it("agrees with the comparator-sort reference on every policy, in or out of position order", () => {
    fc.assert(
      fc.property(spansArb, fc.constantFrom(...OVERLAP_POLICIES), (s, policy) => {
        const spans = {
          count: s.first.length,
          first: Int32Array.from(s.first),
          last: Int32Array.from(s.last),
        };
        expect(resolveOverlaps(spans, policy, s.charBegin, s.charEnd)).toEqual(
          reference(s.first, s.last, policy, s.charBegin, s.charEnd),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the reference when a span is too long to pack (2^26 characters or more)", () => {
    let unpacked = 0;
    fc.assert(
      fc.property(spansArb, (s) => {
        // The same spans with every offset scaled by 2^22 (still int32): a span of 16 characters or
        // more becomes one of 2^26 or more, whose length no longer packs with its rank into one number,
        // so the comparator fallback runs.
        const charBegin = Int32Array.from(s.charBegin, (c) => c * 2 ** 22);
        const charEnd = Int32Array.from(s.charEnd, (c) => c * 2 ** 22);
        const spans = {
          count: s.first.length,
          first: Int32Array.from(s.first),
          last: Int32Array.from(s.last),
        };
        if (s.first.some((f, i) => charEnd[s.last[i]] - charBegin[f] >= 2 ** 26)) unpacked++;
        expect(resolveOverlaps(spans, "LONGEST_DOMINANT_RIGHT", charBegin, charEnd)).toEqual(
          reference(s.first, s.last, "LONGEST_DOMINANT_RIGHT", charBegin, charEnd),
        );
      }),
      { numRuns: 500 },
    );
    expect(unpacked).toBeGreaterThan(50);
  });

  it("keeps in, Clayton, North Carolina from the design's example (longest dominant right)", () => {
    // Tokens: He lived in Clayton North Carolina
    const charBegin = Int32Array.from([0, 3, 9, 12, 20, 26]);
    const charEnd = Int32Array.from([2, 8, 11, 19, 25, 34]);
    // in; Clayton; Clayton North; North Carolina
    const spans = { count: 4, first: Int32Array.from([2, 3, 3, 4]), last: Int32Array.from([2, 3, 4, 5]) };
    expect(resolveOverlaps(spans, "LONGEST_DOMINANT_RIGHT", charBegin, charEnd)).toEqual([0, 1, 3]);
  });
});
