import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CorruptError,
  DuplicateKeyError,
  editDistance,
  FormatError,
  FstMap,
  FstMapBuilder,
  isFstError,
  Levenshtein,
  OutOfOrderError,
  OutputValueError,
  TruncatedError,
  VersionError,
} from "../../src/fst/index.js";

const enc = new TextEncoder();
const byteOrder = (a: string, b: string) => Buffer.compare(enc.encode(a), enc.encode(b));

/** Random key sets with Unicode, the empty key, long keys, heavy shared prefixes and suffixes. */
const keyArb = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: fc.constantFrom("a", "b", "c", " "), maxLength: 10 }),
  fc
    .tuple(
      fc.constantFrom("", "homo ", "homo sapiens ", "β-"),
      fc.string({ maxLength: 6 }),
      fc.constantFrom("", "idae", "ase", " syndrome"),
    )
    .map(([p, m, s]) => p + m + s),
  fc.string({ unit: fc.constantFrom("x", "y"), minLength: 200, maxLength: 600 }),
);
const mapArb = fc.uniqueArray(fc.tuple(keyArb, fc.oneof(fc.nat(), fc.nat({ max: 3 }), fc.maxSafeNat())), {
  selector: ([k]) => k,
  maxLength: 60,
});

function build(entries: [string, number][]): FstMap {
  return FstMap.fromEntries(entries);
}

describe("FstMap against a Map oracle", () => {
  it("get/has agree with a Map for present and absent keys", () => {
    fc.assert(
      fc.property(mapArb, fc.array(keyArb, { maxLength: 20 }), (entries, probes) => {
        const fst = build(entries);
        const oracle = new Map(entries);
        expect(fst.size).toBe(oracle.size);
        for (const [k, v] of entries) expect(fst.get(k)).toBe(v);
        for (const p of probes) {
          expect(fst.get(p)).toBe(oracle.get(p));
          expect(fst.has(p)).toBe(oracle.has(p));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("build-then-iterate equals the sorted input", () => {
    fc.assert(
      fc.property(mapArb, (entries) => {
        const sorted = [...entries].sort((a, b) => byteOrder(a[0], b[0]));
        expect([...build(entries)]).toEqual(sorted);
      }),
      { numRuns: 300 },
    );
  });

  it("prefix and range iteration equal filtering the sorted input", () => {
    const bound = fc.option(keyArb, { nil: undefined });
    fc.assert(
      fc.property(
        mapArb,
        bound,
        bound,
        bound,
        fc.boolean(),
        fc.boolean(),
        (entries, prefix, lo, hi, loInc, hiInc) => {
          const fst = build(entries);
          const range = {
            prefix,
            ...(lo === undefined ? {} : loInc ? { gte: lo } : { gt: lo }),
            ...(hi === undefined ? {} : hiInc ? { lte: hi } : { lt: hi }),
          };
          const expected = [...entries]
            .sort((a, b) => byteOrder(a[0], b[0]))
            .filter(([k]) => {
              const kb = Buffer.from(enc.encode(k));
              if (
                prefix !== undefined &&
                !kb.subarray(0, enc.encode(prefix).length).equals(enc.encode(prefix))
              )
                return false;
              if (lo !== undefined && (loInc ? byteOrder(k, lo) < 0 : byteOrder(k, lo) <= 0)) return false;
              if (hi !== undefined && (hiInc ? byteOrder(k, hi) > 0 : byteOrder(k, hi) >= 0)) return false;
              return true;
            });
          expect([...fst.entries(range)]).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a prefix that is itself a key lists it first", () => {
    const fst = build([
      ["cat", 1],
      ["catalog", 2],
      ["cats", 3],
      ["dog", 4],
    ]);
    expect([...fst.keys({ prefix: "cat" })]).toEqual(["cat", "catalog", "cats"]);
    expect([...fst.keys({ prefix: "catz" })]).toEqual([]);
    expect([...fst.keys({ gt: "cat", lte: "cats" })]).toEqual(["catalog", "cats"]);
  });

  it("serialization round-trips through Buffer, ArrayBuffer and SharedArrayBuffer without copying", () => {
    fc.assert(
      fc.property(mapArb, (entries) => {
        const bytes = build(entries).bytes;
        const sab = new SharedArrayBuffer(bytes.length);
        new Uint8Array(sab).set(bytes);
        const ab = bytes.slice().buffer;
        const buf = Buffer.from(bytes);
        for (const src of [sab, ab, buf]) {
          const m = FstMap.load(src);
          expect([...m]).toEqual([...build(entries)]);
        }
        const viewed = FstMap.load(sab);
        expect(viewed.bytes.buffer).toBe(sab);
      }),
      { numRuns: 100 },
    );
  });

  it("the cursor walks byte by byte like get", () => {
    fc.assert(
      fc.property(mapArb, keyArb, (entries, probe) => {
        const fst = build(entries);
        const c = fst.cursor();
        let alive = true;
        for (const b of enc.encode(probe)) {
          if (!c.step(b)) {
            alive = false;
            break;
          }
        }
        const expected = new Map(entries).get(probe);
        if (expected === undefined) expect(alive && c.isFinal).toBe(false);
        else expect(c.value).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("minimization", () => {
  it("shares suffixes: 1000 keys with one common long suffix stay small", () => {
    const suffix = " hypersensitivity syndrome of the immune system";
    const keys = Array.from({ length: 1000 }, (_, i) => `k${String(i).padStart(4, "0")}${suffix}`);
    const fst = FstMap.fromSorted(keys.map((k, i) => [k, i] as const));
    // Without suffix sharing the suffix alone would cost ≥ 47 KB.
    expect(fst.bytes.length).toBeLessThan(12_000);
    expect(fst.get(keys[777])).toBe(777);
  });
});

describe("builder errors", () => {
  it("rejects out-of-order keys with both keys", () => {
    const b = new FstMapBuilder();
    b.insert("b", 1);
    const err = (() => {
      try {
        b.insert("a", 2);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OutOfOrderError);
    expect((err as OutOfOrderError).previous).toEqual(enc.encode("b"));
    expect((err as OutOfOrderError).got).toEqual(enc.encode("a"));
    expect((err as OutOfOrderError).code).toBe("SODA_ERR_FST_OUT_OF_ORDER");
    expect(isFstError(err)).toBe(true);
    // A longer key followed by its prefix is out of order too.
    const c = new FstMapBuilder();
    c.insert("ab");
    expect(() => c.insert("a")).toThrow(OutOfOrderError);
  });

  it("rejects duplicates and keeps the builder usable", () => {
    const b = new FstMapBuilder();
    b.insert("a", 1);
    expect(() => b.insert("a", 2)).toThrow(DuplicateKeyError);
    b.insert("b", 3);
    const m = b.finish();
    expect([...m]).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
  });

  it("rejects outputs that are not safe non-negative integers", () => {
    for (const v of [-1, 1.5, Number.NaN, 2 ** 53])
      expect(() => new FstMapBuilder().insert("a", v)).toThrow(OutputValueError);
  });

  it("compares by UTF-8 bytes, not UTF-16 units", () => {
    // U+FF5E sorts after U+1F600 in UTF-16 but before it in UTF-8.
    const b = new FstMapBuilder();
    b.insert("\uff5e", 1);
    b.insert("😀", 2);
    expect([...b.finish()]).toEqual([
      ["\uff5e", 1],
      ["😀", 2],
    ]);
  });
});

describe("loading damaged arrays", () => {
  const good = build([
    ["alpha", 1],
    ["beta", 2],
    ["gamma", 300000],
    ["", 7],
  ]).bytes;

  it("catches every single-byte corruption", () => {
    for (let i = 0; i < good.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const bad = good.slice();
        bad[i] ^= flip;
        expect(() => FstMap.load(bad), `byte ${i} ^ ${flip}`).toThrow();
        try {
          FstMap.load(bad);
        } catch (e) {
          expect(isFstError(e)).toBe(true);
        }
      }
    }
  });

  it("catches every truncation with a typed error", () => {
    for (let n = 0; n < good.length; n++) {
      expect(() => FstMap.load(good.subarray(0, n))).toThrow(n >= 8 ? TruncatedError : FormatError);
    }
  });

  it("catches random corruptions of random maps", () => {
    fc.assert(
      fc.property(mapArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (entries, at, flip) => {
        const bad = build(entries).bytes.slice();
        bad[at % bad.length] ^= flip;
        expect(() => FstMap.load(bad)).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("says what to do on a wrong version, a foreign file and trailing bytes", () => {
    const v2 = good.slice();
    v2[8] = 2;
    expect(() => FstMap.load(v2)).toThrow(VersionError);
    expect(() => FstMap.load(v2)).toThrow(/re-generate/);
    expect(() =>
      FstMap.load(Buffer.from("PK\u0003\u0004 this is a zip file, not an FST at all.....")),
    ).toThrow(FormatError);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(() => FstMap.load(longer)).toThrow(CorruptError);
  });
});

describe("Levenshtein intersection", () => {
  const words = [
    "anemia",
    "anaemia",
    "anemias",
    "leukemia",
    "mania",
    "amnesia",
    "anem",
    "ménage",
    "aneurysm",
  ];
  const fst = build(words.map((w, i) => [w, i]));

  it("finds exactly the keys within the distance, with and without transpositions", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "n", "e", "m", "i", "é", "g"), maxLength: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        (q, d, t) => {
          const got = [...fst.search(new Levenshtein(q, { distance: d, transpositions: t }))].map(([k]) => k);
          const expected = words.filter((w) => editDistance(w, q, t) <= d).sort(byteOrder);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("counts a transposition as one edit only when asked", () => {
    const lev = (t: boolean) =>
      [...fst.search(new Levenshtein("naemia", { distance: 1, transpositions: t }))].map(([k]) => k);
    expect(lev(true)).toContain("anemia");
    expect(lev(false)).not.toContain("anemia");
  });

  it("counts code points, not bytes", () => {
    const got = [...fst.search(new Levenshtein("menage", { distance: 1 }))].map(([k]) => k);
    expect(got).toEqual(["ménage"]);
  });

  it("rejects distances beyond 2", () => {
    expect(() => new Levenshtein("x", { distance: 3 })).toThrow(RangeError);
  });
});
