import { describe, expect, it } from "vitest";
import { isWordNetLemma, wordNetLemmas } from "../../src/fuzzy/wordnet.js";

describe("wordNetLemmas", () => {
  it("reads WordNet's single-word lemmas of every part of speech, but short nouns", () => {
    const set = wordNetLemmas();
    expect(set.size).toBeGreaterThan(70_000);
    expect(set).toBe(wordNetLemmas());
    for (const w of ["cytoplasm", "mislead", "trashy", "abhorrence", "five", "malawi"])
      expect(isWordNetLemma(w)).toBe(true);
    // Collocations, inflections, capitals, and short nouns that OCR's fragments spell ("adhe sion").
    for (const w of ["united_states", "misleads", "Cytoplasm", "sion"]) expect(isWordNetLemma(w)).toBe(false);
  });
});
