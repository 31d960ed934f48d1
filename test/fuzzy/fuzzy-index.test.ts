import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prefixSkeletonHashes, stringHash } from "../../src/fuzzy/fuzzy-index.js";
import { glyphSkeleton, skeleton } from "../../src/fuzzy/ocr-distance.js";

describe("prefixSkeletonHashes", () => {
  it("hashes the skeleton of every prefix as skeleton() would make it (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[rnmclvwi1d0o]{0,14}$/), (token) => {
        const g = glyphSkeleton(token);
        const hashes = prefixSkeletonHashes(g);
        for (let i = 1; i <= token.length; i++)
          expect(hashes[i]).toBe(stringHash(skeleton(token.slice(0, i))));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps the first glyph of a collapsed pair that a prefix cuts", () => {
    const g = glyphSkeleton("cornea");
    const h = prefixSkeletonHashes(g);
    expect(h[3]).toBe(stringHash("cor"));
    expect(h[4]).toBe(stringHash("com"));
    expect(h[6]).toBe(stringHash("comea"));
  });
});
