import { describe, expect, it } from "vitest";
import { GenerationalMemo } from "../../src/fuzzy/memo.js";

describe("GenerationalMemo", () => {
  it("keeps the entries in use through turnovers, within its capacity", () => {
    const m = new GenerationalMemo<number>(8);
    m.set("hot", 1);
    for (let i = 0; i < 100; i++) {
      m.set(`cold${i}`, i);
      // Used all along, so copied forward each time its generation is about to be dropped.
      expect(m.get("hot")).toBe(1);
      expect(m.size).toBeLessThanOrEqual(8);
    }
    expect(m.get("cold0")).toBeUndefined();
    expect(m.get("cold99")).toBe(99);
  });

  it("holds null as a value, and forgets everything on clear", () => {
    const m = new GenerationalMemo<number[] | null>(4);
    m.set("x", null);
    expect(m.get("x")).toBeNull();
    m.clear();
    expect(m.get("x")).toBeUndefined();
    expect(m.size).toBe(0);
  });
});
