import { describe, expect, it } from "vitest";
import { ENGLISH_STOP_WORDS, isStopWord } from "../../src/text/stop-words.js";

describe("ENGLISH_STOP_WORDS", () => {
  it("is exactly Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET", () => {
    expect([...ENGLISH_STOP_WORDS].sort()).toEqual(
      [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
      ].sort(),
    );
    expect(ENGLISH_STOP_WORDS.size).toBe(33);
  });
});

describe("isStopWord", () => {
  it("recognizes lowercase stop words", () => {
    expect(isStopWord("the")).toBe(true);
    expect(isStopWord("of")).toBe(true);
    expect(isStopWord("will")).toBe(true);
  });

  it("is case-sensitive: callers lowercase first", () => {
    expect(isStopWord("The")).toBe(false);
    expect(isStopWord("AND")).toBe(false);
  });

  it("rejects words outside Lucene's small list", () => {
    for (const w of ["", "i", "we", "from", "have", "protein", "cell", "die", "α", "の"]) {
      expect(isStopWord(w)).toBe(false);
    }
  });
});
