import { describe, expect, it } from "vitest";
import { HASH_PRIME, HASH_SEED, lowerAscii, TokenTable } from "../../src/fuzzy/token-table.js";

function hashOf(s: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ lowerAscii(s.charCodeAt(i)), HASH_PRIME);
  return h;
}

describe("TokenTable", () => {
  it("gives one id per lower-cased word, from the text or from a string", () => {
    const t = new TokenTable();
    const text = "Cell cell CELL nucleus";
    const a = t.internAscii(text, 0, 4, hashOf("Cell"));
    expect(t.internAscii(text, 5, 9, hashOf("cell"))).toBe(a);
    expect(t.internAscii(text, 10, 14, hashOf("CELL"))).toBe(a);
    expect(t.intern("cell")).toBe(a);
    const b = t.internAscii(text, 15, 22, hashOf("nucleus"));
    expect(b).not.toBe(a);
    expect(t.strings[a]).toBe("cell");
    expect(t.strings[b]).toBe("nucleus");
  });

  it("keeps ids through growth, and starts over with a new epoch when full", () => {
    const t = new TokenTable(5000);
    const ids = Array.from({ length: 4000 }, (_, i) => t.intern(`w${i}`));
    expect(new Set(ids).size).toBe(4000);
    expect(t.intern("w123")).toBe(ids[123]);
    expect(t.epoch).toBe(0);
    for (let i = 4000; i < 5001; i++) t.intern(`w${i}`);
    expect(t.epoch).toBe(1);
    expect(t.strings.length).toBe(1);
    expect(t.strings[t.intern("w5000")]).toBe("w5000");
  });
});
