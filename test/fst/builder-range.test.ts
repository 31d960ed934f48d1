import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Builder, DuplicateKeyError, OutOfOrderError } from "../../src/fst/index.js";

describe("Builder.insertRange", () => {
  it("builds the same bytes as insert, from keys packed in one buffer", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ maxLength: 12 }), {
          maxLength: 60,
          selector: (k) => Buffer.from(k).toString("hex"),
        }),
        (raw) => {
          const keys = raw.sort((a, b) => Buffer.compare(a, b));
          const packed = Buffer.concat(keys);
          const one = new Builder();
          const two = new Builder({ initialCapacity: 64 });
          let at = 0;
          keys.forEach((k, i) => {
            one.insert(k, i * 3);
            two.insertRange(packed, at, at + k.length, i * 3);
            at += k.length;
          });
          expect(Buffer.from(two.finish()).equals(Buffer.from(one.finish()))).toBe(true);
        },
      ),
    );
  });

  it("checks the order of ranges as insert checks keys", () => {
    const packed = Uint8Array.of(1, 2, 3, 1, 2, 3, 1, 2);
    const b = new Builder();
    b.insertRange(packed, 0, 3);
    expect(() => b.insertRange(packed, 3, 6)).toThrow(DuplicateKeyError);
    expect(() => b.insertRange(packed, 6, 8)).toThrow(OutOfOrderError);
    b.insertRange(Uint8Array.of(0, 1, 2, 4), 1, 4);
    expect(b.size).toBe(2);
  });
});
