import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { levenshtein } from "../../src/annotate/similarity.js";
import { DeletionIndex } from "../../src/fuzzy/deletion-index.js";

const radius = (len: number) => (len < 4 ? 0 : len < 7 ? 1 : 2);

describe("DeletionIndex", () => {
  it("finds every key within the radius (property, against Levenshtein)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-e]{1,10}$/), { minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^[a-e]{1,10}$/),
        (keys, query) => {
          const idx = new DeletionIndex(keys, () => 2);
          const found = new Set(idx.query(query, 2, []));
          keys.forEach((k, id) => {
            if (levenshtein(k, query) <= 2) expect(found.has(id)).toBe(true);
          });
        },
      ),
    );
  });

  it("indexes fewer deletions for short keys, and a query costs its own neighbourhood only", () => {
    const keys = ["mitochondrion", "nucleus", "cell", "cytosol"];
    const idx = new DeletionIndex(keys, radius);
    const hits = (q: string, r: number) => [...new Set(idx.query(q, r, []))].map((i) => keys[i]);
    expect(hits("mitocondrlon", 2)).toContain("mitochondrion");
    expect(hits("nucleas", 1)).toContain("nucleus");
    expect(hits("cel", 1)).toEqual(["cell"]);
    // "cell" is indexed without deletions: "ceil" shares no variant with it at radius 0.
    expect(hits("ceil", 0)).toEqual([]);
    const before = idx.probes;
    idx.query("abcdefghij", 2, []);
    // 1 + 10 + 45 variants at most, whatever the number of keys.
    expect(idx.probes - before).toBeLessThanOrEqual(56);
  });

  it("tolerates repeated letters and transpositions", () => {
    const keys = ["apoptosis", "adhesion"];
    const idx = new DeletionIndex(keys, radius);
    expect(new Set(idx.query("appoptosis", 1, []))).toContain(0);
    expect(new Set(idx.query("adhesoin", 1, []))).toContain(1);
  });
});
