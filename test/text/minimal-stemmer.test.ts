import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minimalStem } from "../../src/text/minimal-stemmer.js";

/** Expected outputs produced by Lucene 9.12's own `EnglishMinimalStemmer`. */
const LUCENE_MINIMAL: ReadonlyArray<readonly [string, string]> = [
  ["s", "s"],
  ["is", "is"],
  ["as", "as"],
  ["us", "us"],
  ["gas", "ga"],
  ["bus", "bus"],
  ["class", "class"],
  ["cells", "cell"],
  ["diseases", "disease"],
  ["studies", "study"],
  ["series", "sery"],
  ["ies", "ies"],
  ["aies", "aies"],
  ["eies", "eies"],
  ["boies", "boy"],
  ["toes", "toes"],
  ["trees", "trees"],
  ["bees", "bees"],
  ["oaks", "oak"],
  ["proteins", "protein"],
  ["analyses", "analyse"],
  ["viruses", "viruse"],
  ["species", "specy"],
  ["yes", "ye"],
  ["boys", "boy"],
  ["ways", "way"],
  ["mice", "mice"],
  ["CELLS", "CELLS"],
  ["Cells", "Cell"],
  ["cellS", "cellS"],
  ["βetas", "βeta"],
  ["cafés", "café"],
  ["news", "new"],
  ["lens", "len"],
  ["ss", "ss"],
  ["sss", "sss"],
  ["abs", "ab"],
  ["xs", "xs"],
  ["ays", "ay"],
  ["oys", "oy"],
  ["ess", "ess"],
];

describe("minimalStem", () => {
  it("matches Lucene's EnglishMinimalStemmer", () => {
    for (const [word, stem] of LUCENE_MINIMAL) expect(minimalStem(word), word).toBe(stem);
  });

  it("handles the edge cases", () => {
    expect(minimalStem("")).toBe("");
    expect(minimalStem("s")).toBe("s");
    expect(minimalStem("σκύλος")).toBe("σκύλος");
    expect(minimalStem("細胞s")).toBe("細胞");
  });

  it("returns the input string itself when nothing changes", () => {
    const w = ["vir", "us"].join("");
    expect(minimalStem(w)).toBe(w);
  });

  it("never lengthens a word and changes only a trailing plural ending", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (w) => {
        const out = minimalStem(w);
        expect(out.length).toBeLessThanOrEqual(w.length);
        if (out !== w) {
          expect(w.endsWith("s")).toBe(true);
          expect(out === w.slice(0, -1) || out === `${w.slice(0, -3)}y`).toBe(true);
        }
      }),
    );
  });
});
