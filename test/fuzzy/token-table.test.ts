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

  it("finds a word added by intern() from the text, across growth, and keeps non-ASCII words apart", () => {
    const t = new TokenTable();
    const first = t.intern("nucleus");
    const cafe = t.intern("café");
    for (let i = 0; i < 3000; i++) t.intern(`w${i}`);
    const text = "NUCLEUS cafe nucleu";
    expect(t.internAscii(text, 0, 7, hashOf("nucleus"))).toBe(first);
    const plain = t.internAscii(text, 8, 12, hashOf("cafe"));
    expect(plain).not.toBe(cafe);
    expect(t.strings[plain]).toBe("cafe");
    expect(t.intern("café")).toBe(cafe);
    const prefix = t.internAscii(text, 13, 19, hashOf("nucleu"));
    expect(prefix).not.toBe(first);
    expect(t.intern("w2999")).toBe(t.internAscii("W2999", 0, 5, hashOf("w2999")));
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
