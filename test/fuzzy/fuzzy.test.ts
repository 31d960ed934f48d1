import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lexicon } from "../../src/annotate/lexicon.js";
import {
  annotateChunks,
  fuzzyIndex,
  ocrDistance,
  ocrNoise,
  phraseWords,
  skeleton,
  substitutionCost,
  TOKENS,
} from "../../src/fuzzy/index.js";
import { random } from "../../src/fuzzy/ocr-noise.js";

// Real names (Gene Ontology terms and synonyms) and a few short ones that must not be matched loosely.
const entries = [
  { id: "GO:0007049", names: ["cell cycle"] },
  { id: "GO:0006915", names: ["apoptotic process", "apoptosis", "programmed cell death by apoptosis"] },
  { id: "GO:0005739", names: ["mitochondrion", "mitochondria"] },
  { id: "GO:0001558", names: ["regulation of cell growth"] },
  { id: "GO:0016055", names: ["Wnt signaling pathway", "Wnt receptor signaling pathway"] },
  { id: "GO:0006281", names: ["DNA repair"] },
  { id: "GO:0007165", names: ["signal transduction"] },
  { id: "GO:0005634", names: ["nucleus", "cell nucleus"] },
  { id: "GO:0042981", names: ["regulation of apoptotic process"] },
  { id: "GO:0008283", names: ["cell population proliferation", "cell proliferation"] },
  { id: "GO:0006955", names: ["immune response"] },
  { id: "GO:0005829", names: ["cytosol"] },
  { id: "GO:0006468", names: ["protein phosphorylation"] },
  { id: "GO:0045944", names: ["positive regulation of transcription by RNA polymerase II"] },
  { id: "GO:0007155", names: ["cell adhesion"] },
  { id: "X:heme", names: ["heme"] },
  { id: "X:herne", names: ["hemes"] },
  { id: "X:melon", names: ["melon"] },
  { id: "X:meton", names: ["meton"] },
];
const lex = new Lexicon("go", entries);
const fuzzy = (text: string, threshold?: number) =>
  annotateChunks(text, [lex], { matching: "fuzzy", threshold }).map((a) => [a.id, a.coveredText]);

describe("ocrDistance", () => {
  it("prices OCR confusions below arbitrary edits", () => {
    expect(ocrDistance("rnitochondria", "mitochondria")).toBeCloseTo(0.3);
    expect(ocrDistance("cytoso1", "cytosol")).toBeCloseTo(0.3);
    expect(ocrDistance("c1eavage", "cleavage")).toBeCloseTo(0.3);
    expect(ocrDistance("ceil", "cell")).toBeCloseTo(0.3);
    expect(ocrDistance("nuclcus", "nucleus")).toBeCloseTo(0.4);
    expect(ocrDistance("nuxleus", "nucleus")).toBe(1);
    expect(ocrDistance("adhesoin", "adhesion")).toBe(1);
    expect(ocrDistance("abc", "xyz", 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it("is symmetric and zero only on equal strings (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9|]{0,10}$/), fc.stringMatching(/^[a-z0-9|]{0,10}$/), (a, b) => {
        const d = ocrDistance(a, b);
        expect(d).toBeCloseTo(ocrDistance(b, a), 9);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it("equals the plain recurrence (property, against a reference without the per-column tables)", () => {
    const multi: Record<string, [string, number][]> = {
      rn: [["m", 0.3]],
      cl: [["d", 0.3]],
      vv: [["w", 0.3]],
      li: [["h", 0.4]],
      lr: [["k", 0.5]],
      ri: [["n", 0.4]],
      in: [["m", 0.4]],
      ni: [["m", 0.4]],
      nn: [["m", 0.5]],
      iu: [["m", 0.5]],
      ii: [["u", 0.5]],
      ll: [["u", 0.6]],
      fi: [["h", 0.5]],
    };
    const mc = (two: string, one: string) => multi[two]?.find(([o]) => o === one)?.[1] ?? 2;
    const indel = (c: string) => (".',|`".includes(c) ? 0.5 : 1);
    const reference = (a: string, b: string): number => {
      const d: number[][] = [];
      for (let i = 0; i <= a.length; i++) {
        d.push([]);
        for (let j = 0; j <= b.length; j++) {
          if (i === 0 && j === 0) d[i][j] = 0;
          else if (i === 0) d[i][j] = d[i][j - 1] + indel(b[j - 1]);
          else if (j === 0) d[i][j] = d[i - 1][j] + indel(a[i - 1]);
          else {
            let v = d[i - 1][j - 1] + substitutionCost(a.charCodeAt(i - 1), b.charCodeAt(j - 1));
            v = Math.min(v, d[i - 1][j] + indel(a[i - 1]), d[i][j - 1] + indel(b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
              v = Math.min(v, d[i - 2][j - 2] + 1);
            if (i > 1) v = Math.min(v, d[i - 2][j - 1] + mc(a.slice(i - 2, i), b[j - 1]));
            if (j > 1) v = Math.min(v, d[i - 1][j - 2] + mc(b.slice(j - 2, j), a[i - 1]));
            d[i][j] = v;
          }
        }
      }
      return d[a.length][b.length];
    };
    const word = fc.stringMatching(/^[rnclvihmudwk1|0o.é]{0,9}$/);
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(ocrDistance(a, b)).toBeCloseTo(reference(a, b), 9);
      }),
      { numRuns: 2000 },
    );
  });

  it("prices confusions from its tables on ASCII and falls back beyond", () => {
    expect(substitutionCost(0x6c, 0x31)).toBeCloseTo(0.3); // l / 1
    expect(substitutionCost(0x31, 0x6c)).toBeCloseTo(0.3);
    expect(substitutionCost(0x61, 0x61)).toBe(0);
    expect(substitutionCost(0x61, 0x78)).toBe(1);
    expect(substitutionCost(0xe9, 0x65)).toBe(1); // é / e: not a confusion
    expect(substitutionCost(0xe9, 0xe9)).toBe(0);
    expect(ocrDistance("mitochondria", "rnitochondria")).toBeCloseTo(0.3);
    expect(ocrDistance("clay", "day")).toBeCloseTo(0.3);
    expect(ocrDistance("éday", "éclay")).toBeCloseTo(0.3);
    // rn reads as m, not as n: a deletion and nothing cheaper.
    expect(ocrDistance("rnap", "nap")).toBe(1);
  });

  it("skeletons collapse confusable glyphs", () => {
    expect(skeleton("rnitochondria")).toBe(skeleton("mitochondria"));
    expect(skeleton("c1eavage")).toBe(skeleton("cleavage"));
    expect(skeleton("cytos0l")).toBe(skeleton("cytosol"));
  });
});

describe("fuzzy mode on OCR errors", () => {
  it("confusable glyphs, edits, case noise", () => {
    expect(fuzzy("Loss of rnitochondria in the NUCLEUS and cytoso1.")).toEqual([
      ["GO:0005739", "rnitochondria"],
      ["GO:0005634", "NUCLEUS"],
      ["GO:0005829", "cytoso1"],
    ]);
    expect(fuzzy("the Wnt signa1ing pathvvay")).toEqual([["GO:0016055", "Wnt signa1ing pathvvay"]]);
    expect(fuzzy("positive regu1ation of transcriptlon by RNA po1ymerase II")).toEqual([
      ["GO:0045944", "positive regu1ation of transcriptlon by RNA po1ymerase II"],
    ]);
  });

  it("words split, joined, and broken by a hyphen across lines", () => {
    expect(fuzzy("a defect of cell adhe sion")).toEqual([["GO:0007155", "cell adhe sion"]]);
    expect(fuzzy("during the cellcycle")).toEqual([["GO:0007049", "cellcycle"]]);
    expect(fuzzy("signal trans-\nduction was")).toEqual([["GO:0007165", "signal trans-\nduction"]]);
    expect(fuzzy("apop-\ntotic process")).toEqual([["GO:0006915", "apop-\ntotic process"]]);
  });

  it("confidence reflects similarity; the threshold filters", () => {
    const [a] = annotateChunks("the rnitochondria", [lex], { matching: "fuzzy" });
    expect(a.confidence).toBeGreaterThan(0.95);
    expect(a.confidence).toBeLessThan(1);
    expect(a.synonym).toBe("mitochondria");
    expect(a.matching).toBe("fuzzy");
    const [b] = annotateChunks("the mitochondria", [lex], { matching: "fuzzy" });
    expect(b.confidence).toBe(1);
    expect(fuzzy("imrnune respomse")).toEqual([["GO:0006955", "imrnune respomse"]]);
    expect(fuzzy("imrnune respomse", 0.95)).toEqual([]);
  });

  it("precision safeguards: short tokens, English words, ambiguity", () => {
    // No edits on short tokens: "hene" is not heme.
    expect(fuzzy("hene")).toEqual([]);
    // A real English word is not corrected: "melon" stays melon, "mellow" is not melon.
    expect(fuzzy("mellow")).toEqual([]);
    // Two names equally close: dropped rather than guessed ("mezon" is one edit from both melon and meton).
    expect(fuzzy("a mezon")).toEqual([]);
    expect(fuzzy("a me1on")).toEqual([["X:melon", "me1on"]]);
    // Exact names still win over fuzzy neighbours.
    expect(fuzzy("heme and hemes")).toEqual([
      ["X:heme", "heme"],
      ["X:herne", "hemes"],
    ]);
  });
});

describe("fuzzy mode properties", () => {
  const allNames = entries.flatMap((e) => e.names.map((n) => ({ id: e.id, name: n })));

  it("finds every name given exactly, in any case, inside a sentence", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allNames), fc.boolean(), ({ id, name }, upper) => {
        const n = upper ? name.toUpperCase() : name;
        const text = `We observed ${n} here.`;
        const a = annotateChunks(text, [lex], { matching: "fuzzy" });
        const hit = a.find((x) => x.begin === 12 && x.end === 12 + n.length);
        expect(hit?.id).toBe(id);
        expect(hit?.confidence).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it("recovers names under synthetic OCR noise (at least 75% over seeds, heavy noise)", () => {
    const long = allNames.filter((x) => x.name.length >= 9);
    let found = 0;
    let total = 0;
    let wrong = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const { id, name } of long) {
        const noisy = ocrNoise(name, {
          seed: seed * 7919 + name.length,
          glyph: 0.05,
          split: 0.05,
          hyphen: 0.05,
        });
        const a = annotateChunks(`Results: ${noisy} was seen`, [lex], { matching: "fuzzy" });
        total++;
        if (a.some((x) => x.id === id)) found++;
        wrong += a.filter((x) => x.id !== id && !["X:heme", "X:melon"].includes(x.id)).length;
      }
    }
    expect(found / total).toBeGreaterThan(0.75);
    expect(wrong / total).toBeLessThan(0.03);
  });

  it("never scans the lexicon: candidate checks are bounded per distinct token", () => {
    const rnd = random(42);
    const word = () =>
      Array.from(
        { length: 6 + Math.floor(rnd() * 6) },
        () => "abcdefghijklmnoprstuy"[Math.floor(rnd() * 21)],
      ).join("");
    const many = new Lexicon(
      "big",
      Array.from({ length: 20_000 }, (_, i) => ({
        id: `E${i}`,
        names: i < 3 ? [`protein${i}xyz kinase${i}`] : [`${word()} ${word()}`],
      })),
    );
    const idx = fuzzyIndex(many.segments()[0]);
    const text = "unknovvn wordz protein1xyz kinasel and protein2xyz kinase2 again unknovvn wordz ".repeat(
      50,
    );
    const before = { ...idx.stats };
    const a = annotateChunks(text, [many], { matching: "fuzzy" });
    expect(a.filter((x) => x.id === "E1").length).toBe(50);
    const words = text.trim().split(/\s+/);
    const distinct = new Set([...words, ...words.slice(1).map((w, i) => words[i] + w)]).size;
    expect(idx.stats.generations - before.generations).toBeLessThanOrEqual(distinct);
    // A scan would score tens of thousands of words; the deletion index leaves a handful per token.
    expect(idx.stats.scored - before.scored).toBeLessThan((idx.stats.generations - before.generations) * 20);
    // Hash probes per generation depend on the token's length (at most 1 + L + L(L − 1)/2), not on
    // the 30,000 words.
    const gens = idx.stats.generations - before.generations;
    expect(idx.stats.probes - before.probes).toBeLessThanOrEqual(gens * 232);
    expect(idx.vocab.size).toBeGreaterThan(30_000);
  });

  it("reads a pair of tokens by their ids as their joined string, through growth of its table", () => {
    const idx = fuzzyIndex(lex.segments()[0]);
    const pieces = ["apopto", "tic", "adhe", "sion", "ane", "mia", "mitochon", "drion"];
    for (let i = 0; i < 3000; i++) pieces.push(`zq${i}`);
    const ids = pieces.map((p) => TOKENS.intern(p));
    for (let round = 0; round < 2; round++)
      for (let i = 0; i + 1 < pieces.length; i += round + 1) {
        const got = idx.joinedById(ids[i], ids[i + 1], TOKENS.epoch);
        expect(got).toEqual(idx.joinedReadings(pieces[i] + pieces[i + 1]));
      }
    expect(idx.joinedById(ids[0], ids[1], TOKENS.epoch)).not.toBeNull();
    expect(idx.joinedById(ids[1], ids[0], TOKENS.epoch)).toBeNull();
  });

  it("phraseWords of names and fuzzy tokens agree on clean text", () => {
    expect(phraseWords("Wnt-signaling's pathway (β)")).toEqual(["wnt", "signaling", "pathway", "β"]);
  });
});
