import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkCandidates, chunkText, posTags, sentences, tokenize } from "../../src/chunker/index.js";

describe("tokenize", () => {
  it("keeps hyphenated words, decimals and contractions whole, with UTF-16 offsets", () => {
    const text = "IL-2 rose 3.5% in 𝛃-cells (don't).";
    const toks = tokenize(text);
    expect(toks.map((t) => t.text)).toEqual([
      "IL-2",
      "rose",
      "3.5",
      "%",
      "in",
      "𝛃-cells",
      "(",
      "don't",
      ")",
      ".",
    ]);
    for (const t of toks) expect(text.slice(t.begin, t.end)).toBe(t.text);
  });

  it("offsets always slice back to the token (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
        for (const t of tokenize(s)) expect(s.slice(t.begin, t.end)).toBe(t.text);
      }),
    );
  });
});

describe("sentences", () => {
  it("splits at sentence ends, not after abbreviations or initials", () => {
    const text = "Dr. Smith saw J. Doe. He had anemia, e.g. refractory anemia! Was it? Yes.\n\nNew block";
    const s = sentences(text).map((x) => text.slice(x.begin, x.end));
    expect(s).toEqual([
      "Dr. Smith saw J. Doe.",
      "He had anemia, e.g. refractory anemia!",
      "Was it?",
      "Yes.",
      "New block",
    ]);
  });
});

describe("posTags", () => {
  it("tags with natural's Brill lexicon and rules", () => {
    expect(posTags(["The", "patient", "had", "refractory", "anemia", "."])).toEqual([
      "DT",
      "NN",
      "VBD",
      "JJ",
      "NN",
      ".",
    ]);
  });
});

describe("chunkText", () => {
  const text =
    "The patient had his refractory anemia treated. Regulation of cell growth is mediated by beta-catenin signaling pathways.";
  const chunked = chunkText(text);
  const chunks = chunked.chunks.map((c) => text.slice(c.begin, c.end));

  it("finds noun phrases with their determiners", () => {
    expect(chunks).toContain("The patient");
    expect(chunks).toContain("his refractory anemia");
    expect(chunks).toContain("beta-catenin signaling pathways");
    for (const c of chunked.chunks) expect(c.tokens[c.tokens.length - 1].tag).toMatch(/^(NN|CD|FW)/);
  });

  it("offers sub-spans and X-of-Y joins as candidates", () => {
    const cands = chunkCandidates(chunked).map((c) => text.slice(c.begin, c.end));
    expect(cands).toContain("refractory anemia");
    expect(cands).toContain("anemia");
    expect(cands).toContain("Regulation of cell growth");
    expect(cands).toContain("signaling pathways");
    expect(cands).not.toContain("had his");
    expect(new Set(cands).size).toBe(cands.length);
  });

  it("chunk offsets stay inside their sentence (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom("the", "red", "cell", "grows", "of", "anemia", ".", ",", "Big", "3", "is", "and"),
          {
            maxLength: 30,
          },
        ),
        (words) => {
          const t = words.join(" ");
          const c = chunkText(t);
          for (const ch of c.chunks) {
            const s = c.sentences[ch.sentence];
            expect(ch.begin).toBeGreaterThanOrEqual(s.begin);
            expect(ch.end).toBeLessThanOrEqual(s.end);
            expect(t.slice(ch.begin, ch.end).startsWith(ch.tokens[0].text)).toBe(true);
          }
          for (const cand of chunkCandidates(c)) expect(cand.end).toBeGreaterThan(cand.begin);
        },
      ),
      { numRuns: 200 },
    );
  });
});
