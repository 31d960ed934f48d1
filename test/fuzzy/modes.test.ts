import { describe, expect, it } from "vitest";
import { Lexicon } from "../../src/annotate/lexicon.js";
import type { TagSegment } from "../../src/annotate/segment.js";
import { annotateChunks, phraseKey, reverseLookup } from "../../src/fuzzy/index.js";

const lex = new Lexicon("dis", [
  { id: "D1", names: ["refractory anemia", "RA"] },
  { id: "D2", names: ["beta-catenin"] },
  { id: "D3", names: ["regulation of cell growth"] },
  { id: "D4", names: ["anemia"] },
  { id: "D5", names: ["Growth of cells"] },
]);

describe("phraseKey", () => {
  it("normalizes per mode", () => {
    expect(phraseKey("The Beta-Catenin's pathway", "punct")).toBe("the beta catenin pathway");
    expect(phraseKey("The Beta-Catenin pathway", "sort")).toBe("beta catenin pathway");
    expect(phraseKey("the pathways of signaling", "stem")).toBe("pathwai signal");
    expect(phraseKey("the pathways of signaling", "lsort")).toBe("of pathways signaling the");
    expect(phraseKey("the pathways of signaling", "s3sort")).toBe("pathwai signal");
    expect(phraseKey("of the", "sort")).toBeNull();
  });
});

describe("annotateChunks: punct, sort, stem", () => {
  const text = "The patient had his refractory anemia treated. The growth of cells requires beta-catenin.";
  it("punct matches a chunk or a sub-span whole, with offsets into the text", () => {
    const a = annotateChunks(text, [lex], { matching: "punct" });
    expect(a.map((x) => [x.id, x.coveredText])).toEqual([
      ["D1", "refractory anemia"],
      ["D5", "growth of cells"],
      ["D2", "beta-catenin"],
    ]);
    for (const x of a) expect(text.slice(x.begin, x.end)).toBe(x.coveredText);
    expect(a[0].confidence).toBe(1);
    expect(a[0].matching).toBe("punct");
  });

  it("sort ignores word order and stop words; stem also inflection", () => {
    const t = "Cells growth was seen; anemia refractory too. Cell growths everywhere.";
    expect(annotateChunks(t, [lex], { matching: "punct" }).map((x) => x.id)).toEqual(["D4"]);
    const sorted = annotateChunks(t, [lex], { matching: "sort" });
    // "anemia refractory" is no noun phrase (the adjective follows its noun): only "anemia" is looked up.
    expect(sorted.map((x) => [x.id, x.coveredText])).toEqual([
      ["D5", "Cells growth"],
      ["D4", "anemia"],
    ]);
    expect(sorted[0].confidence).toBeLessThan(1);
    const stem = annotateChunks(t, [lex], { matching: "stem" });
    expect(stem.map((x) => x.coveredText)).toEqual(["Cells growth", "anemia", "Cell growths"]);
  });

  it("overlap policies: ALL keeps the sub-span too", () => {
    const all = annotateChunks("his refractory anemia", [lex], { matching: "punct", overlaps: "ALL" });
    expect(all.map((x) => x.id).sort()).toEqual(["D1", "D4"]);
  });

  it("dead docs are not returned", () => {
    const seg: TagSegment = {
      docs: lex.docs,
      forMode: (m) => lex.forMode(m),
      entityId: (d) => lex.entityId(d),
      entityNames: (d) => lex.entityNames(d),
      isLive: (d) => d !== 0,
    };
    const dead = { name: "dis", segments: () => [seg] };
    expect(annotateChunks("refractory anemia", [dead], { matching: "punct" }).map((x) => x.id)).toEqual([
      "D4",
    ]);
    expect(annotateChunks("refractory anemia", [dead], { matching: "fuzzy" }).map((x) => x.id)).toEqual([
      "D4",
    ]);
  });
});

describe("reverseLookup", () => {
  it("lsort and s3sort look a phrase up whole", () => {
    expect(reverseLookup("Anemia, refractory", [lex], "lsort").map((m) => m.id)).toEqual(["D1"]);
    expect(reverseLookup("anemia the refractory", [lex], "lsort")).toEqual([]);
    const s3 = reverseLookup("cell growth", [lex], "s3sort");
    expect(s3.map((m) => m.id)).toEqual(["D5"]);
    expect(s3[0].text).toBe("Growth of cells");
    expect(reverseLookup("growth regulation of the cells", [lex], "s3sort").map((m) => m.id)).toEqual(["D3"]);
  });

  it("fuzzy reverse lookup tolerates OCR errors on the whole phrase only", () => {
    const r = reverseLookup("refractorv anernia", [lex], "fuzzy");
    expect(r.map((m) => m.id)).toEqual(["D1"]);
    expect(r[0].confidence).toBeGreaterThan(0.8);
    expect(r[0].confidence).toBeLessThan(1);
    expect(reverseLookup("refractorv anernia today", [lex], "fuzzy")).toEqual([]);
  });
});
