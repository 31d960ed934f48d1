import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortKeys } from "../../src/annotate/lexicon.js";

describe("sortKeys", () => {
  it("orders packed keys like a stable Buffer.compare sort", () => {
    const keyArb = fc.oneof(
      fc.uint8Array({ maxLength: 6 }),
      fc.uint8Array({ minLength: 20, maxLength: 40 }).map((a) => a.map((b) => 97 + (b % 3))),
      fc.constantFrom(new Uint8Array(0), Uint8Array.of(97), Uint8Array.of(97, 97)),
    );
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 200 }), (keys) => {
        const total = keys.reduce((n, k) => n + k.length, 0);
        const bytes = new Uint8Array(total);
        const start = new Uint32Array(keys.length);
        const end = new Uint32Array(keys.length);
        let p = 0;
        keys.forEach((k, i) => {
          start[i] = p;
          bytes.set(k, p);
          p += k.length;
          end[i] = p;
        });
        const expected = keys.map((_, i) => i).sort((a, b) => Buffer.compare(keys[a], keys[b]) || a - b);
        expect(Array.from(sortKeys(bytes, start, end))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
