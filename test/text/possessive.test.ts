import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { removePossessive } from "../../src/text/possessive.js";

/** Expected outputs produced by Lucene 9.12's own `EnglishPossessiveFilter`. */
const LUCENE_POSSESSIVE: ReadonlyArray<readonly [string, string]> = [
  ["dog's", "dog"],
  ["DOG'S", "DOG"],
  ["Dog'S", "Dog"],
  ["dog’s", "dog"],
  ["dog＇s", "dog"],
  ["dog‘s", "dog‘s"],
  ["dogs'", "dogs'"],
  ["'s", ""],
  ["’s", ""],
  ["s", "s"],
  ["x's's", "x's"],
  ["its", "its"],
  ["Crohn's", "Crohn"],
  ["Alzheimer’s", "Alzheimer"],
  ["猫's", "猫"],
  ["it's", "it"],
  ["dog'ss", "dog'ss"],
  ["dog´s", "dog´s"],
  ["dogʼs", "dogʼs"],
  ["'S", ""],
  ["O'Neil", "O'Neil"],
];

describe("removePossessive", () => {
  it("matches Lucene's EnglishPossessiveFilter", () => {
    for (const [word, out] of LUCENE_POSSESSIVE) expect(removePossessive(word), word).toBe(out);
  });

  it("handles empty and one-character input", () => {
    expect(removePossessive("")).toBe("");
    expect(removePossessive("'")).toBe("'");
  });

  it("returns the input string itself when nothing is stripped", () => {
    const w = ["cel", "ls"].join("");
    expect(removePossessive(w)).toBe(w);
  });

  it("strips exactly two characters or nothing", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.constantFrom("", "'s", "’s", "'S", "‘s", "s'"),
        (w, end) => {
          const input = w + end;
          const out = removePossessive(input);
          expect(out === input || out === input.slice(0, -2)).toBe(true);
          if (end === "'s" || end === "’s" || end === "'S") expect(out).toBe(w);
        },
      ),
    );
  });
});
