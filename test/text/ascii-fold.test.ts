import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPLICIT_FOLDINGS, foldCharCode, foldToAscii, isCombiningMark } from "../../src/text/ascii-fold.js";

const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/** NFD with the marks removed, when that leaves only ASCII letters; otherwise null. */
function nfdFold(c: number): string | null {
  const ch = String.fromCharCode(c);
  const d = ch.normalize("NFD");
  if (d === ch) return null;
  const base = d.replace(/\p{M}/gu, "");
  return /^[A-Za-z]+$/.test(base) ? base : null;
}

describe("foldToAscii", () => {
  it("returns ASCII input unchanged, as the same string", () => {
    const s = ["Hello, ", "world! 123 ~"].join("");
    expect(foldToAscii(s)).toBe(s);
    expect(foldToAscii("")).toBe("");
  });

  it("folds accented Latin letters, keeping case", () => {
    expect(foldToAscii("é")).toBe("e");
    expect(foldToAscii("É")).toBe("E");
    expect(foldToAscii("Crème brûlée")).toBe("Creme brulee");
    expect(foldToAscii("naïve façade")).toBe("naive facade");
    expect(foldToAscii("Ǻngström")).toBe("Angstrom");
    expect(foldToAscii("Nguyễn Thị Ệ")).toBe("Nguyen Thi E"); // two marks each
    expect(foldToAscii("Sjögren's syndrome")).toBe("Sjogren's syndrome");
    expect(foldToAscii("Guillain–Barré")).toBe("Guillain-Barre");
  });

  it("folds letters NFD does not decompose", () => {
    expect(foldToAscii("ß")).toBe("ss");
    expect(foldToAscii("ẞ")).toBe("SS");
    expect(foldToAscii("æ Æ")).toBe("ae AE");
    expect(foldToAscii("ø Ø")).toBe("o O");
    expect(foldToAscii("ł Ł")).toBe("l L");
    expect(foldToAscii("đ Đ ð Ð")).toBe("d D d D");
    expect(foldToAscii("þ Þ")).toBe("th TH");
    expect(foldToAscii("œ Œ")).toBe("oe OE");
    expect(foldToAscii("ı")).toBe("i");
    expect(foldToAscii("ﬁ ﬂ ﬀ ﬃ ﬄ ﬆ")).toBe("fi fl ff ffi ffl st");
    expect(foldToAscii("Ærøskøbing")).toBe("AEroskobing");
  });

  it("folds typographic punctuation, super/subscripts, fullwidth and enclosed forms", () => {
    expect(foldToAscii("’‘‚‛")).toBe("''''");
    expect(foldToAscii("“quoted” «guillemets»")).toBe('"quoted" "guillemets"');
    expect(foldToAscii("a‐b‑c‒d–e—f")).toBe("a-b-c-d-e-f");
    expect(foldToAscii("x² H₂O")).toBe("x2 H2O");
    expect(foldToAscii("ＡＢＣ１２３")).toBe("ABC123");
    expect(foldToAscii("① ⑽ ⒜ ⒈")).toBe("1 (10) (a) 1.");
    expect(foldToAscii("‼ ⁇")).toBe("!! ??");
  });

  it("leaves characters without an ASCII equivalent unchanged", () => {
    for (const s of [
      "β",
      "α-synuclein",
      "ά",
      "Ω",
      "й",
      "蛋白质",
      "タンパク質",
      "हिन्दी",
      "שָׁלוֹם",
      "😀",
      "€",
      "°",
      "×",
      "≠",
    ]) {
      expect(foldToAscii(s), s).toBe(s);
    }
    expect(foldToAscii("β-café")).toBe("β-cafe");
  });

  it("removes combining marks after an ASCII letter only", () => {
    expect(foldToAscii("cafe\u0301")).toBe("cafe");
    expect(foldToAscii("cafe\u0301".normalize("NFD"))).toBe(foldToAscii("café"));
    expect(foldToAscii("Nguye\u0302\u0303n")).toBe("Nguyen");
    expect(foldToAscii("\u0301a")).toBe("\u0301a"); // nothing to attach to
    expect(foldToAscii("α\u0301")).toBe("α\u0301"); // base is not ASCII
    expect(foldToAscii("1\u20e3")).toBe("1\u20e3"); // keycap after a digit
    expect(foldToAscii("ß\u0301")).toBe("ss"); // base folded to an ASCII letter
    expect(foldToAscii("a\u{E0100}b")).toBe("a\u{E0100}b"); // supplementary marks are left whole
    expect(foldToAscii("é\u{E0100}")).toBe("e\u{E0100}");
  });

  it("deviates from Lucene only where documented", () => {
    expect(foldToAscii("ǥ ǧ Ǥ Ǧ")).toBe("g g G G"); // Lucene: G G G G
    expect(foldToAscii("\u212a")).toBe("K"); // KELVIN SIGN; Lucene leaves it
    expect(foldToAscii("\u212b")).toBe("A"); // ANGSTROM SIGN; Lucene leaves it
  });

  it("is idempotent and only ever produces fixed points", () => {
    const latin = fc.constantFrom(..."aeiouAEIOUéÉñßæøłđþœﬁ’“—²①βαй蛋\u0301\u0308\u20e3 -'".split(""));
    const mixed = fc.oneof(
      fc.string({ unit: latin, maxLength: 20 }),
      fc.string({ unit: "binary", maxLength: 20 }),
    );
    fc.assert(
      fc.property(mixed, (s) => {
        const once = foldToAscii(s);
        expect(foldToAscii(once)).toBe(once);
        for (let i = 0; i < once.length; i++) expect(foldCharCode(once.charCodeAt(i))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("returns ASCII strings unchanged (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (s) => {
        expect(foldToAscii(s)).toBe(s);
      }),
    );
  });
});

describe("foldCharCode", () => {
  it("returns null for unchanged code units", () => {
    expect(foldCharCode(0x41)).toBeNull(); // A
    expect(foldCharCode(0)).toBeNull();
    expect(foldCharCode(0x3b2)).toBeNull(); // β
    expect(foldCharCode(0x301)).toBeNull(); // combining acute: context-free, not removed here
    expect(foldCharCode(0xd83d)).toBeNull(); // lone high surrogate
    expect(foldCharCode(0x1f600)).toBeNull(); // not a code unit
    expect(foldCharCode(-1)).toBeNull();
  });

  it("returns the ASCII replacement", () => {
    expect(foldCharCode(0xe9)).toBe("e"); // é
    expect(foldCharCode(0xdf)).toBe("ss"); // ß
    expect(foldCharCode(0x2019)).toBe("'"); // ’
    expect(foldCharCode(0x247d)).toBe("(10)"); // ⑽
    expect(foldCharCode(0x18f)).toBe("A"); // Ə, as in Lucene
  });

  it("maps every BMP code unit to null or 1-4 ASCII characters", () => {
    let folded = 0;
    for (let c = 0; c <= 0xffff; c++) {
      const r = foldCharCode(c);
      if (r === null) continue;
      folded++;
      expect(r).toMatch(/^[\x20-\x7e]{1,4}$/);
      expect(c).toBeGreaterThanOrEqual(0x80);
      expect(isSurrogate(c)).toBe(false);
    }
    // Lucene 9.12 folds 1,242 BMP code units; we add KELVIN SIGN and ANGSTROM SIGN.
    expect(folded).toBe(1244);
  });

  it("covers every Latin letter that NFD decomposes to ASCII letters + marks", () => {
    const missing: string[] = [];
    for (let c = 0x80; c <= 0xffff; c++) {
      if (isSurrogate(c)) continue;
      const expected = nfdFold(c);
      if (expected !== null && foldCharCode(c) !== expected) missing.push(c.toString(16));
    }
    expect(missing).toEqual([]);
  });

  it("has an explicit table without overlaps", () => {
    const seen = new Set<number>();
    for (const [ascii, sources] of EXPLICIT_FOLDINGS) {
      expect(ascii).toMatch(/^[\x20-\x7e]{1,4}$/);
      for (let i = 0; i < sources.length; i++) {
        const c = sources.charCodeAt(i);
        expect(seen.has(c), c.toString(16)).toBe(false);
        seen.add(c);
        expect(foldCharCode(c)).toBe(ascii);
      }
    }
  });
});

describe("isCombiningMark", () => {
  it("recognizes combining marks", () => {
    expect(isCombiningMark(0x301)).toBe(true); // combining acute
    expect(isCombiningMark(0x93f)).toBe(true); // Devanagari vowel sign i
    expect(isCombiningMark(0x20e3)).toBe(true); // combining enclosing keycap
  });

  it("rejects everything else", () => {
    expect(isCombiningMark(0x61)).toBe(false);
    expect(isCombiningMark(0xe9)).toBe(false);
    expect(isCombiningMark(0x3b2)).toBe(false);
    expect(isCombiningMark(0x1d165)).toBe(false); // supplementary: outside the BMP contract
  });
});
