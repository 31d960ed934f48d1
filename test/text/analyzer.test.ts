import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Annotator } from "../../src/annotate/annotator.js";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { AnalyzedText, Analyzer, TOKEN_SEPARATOR } from "../../src/text/analyzer.js";
import { foldToAscii } from "../../src/text/ascii-fold.js";
import { BLOCK_CHAR } from "../../src/text/char-class.js";
import { krovetzStem } from "../../src/text/krovetz-stemmer.js";
import { minimalStem } from "../../src/text/minimal-stemmer.js";
import { MODE_STEPS, STREAMING_MODES, type StreamingMode } from "../../src/text/modes.js";
import { porterStem } from "../../src/text/porter.js";
import { removePossessive } from "../../src/text/possessive.js";
import { ENGLISH_STOP_WORDS, isStopWord } from "../../src/text/stop-words.js";

const decoder = new TextDecoder();
const analyzers = new Map<StreamingMode, Analyzer>(STREAMING_MODES.map((m) => [m, new Analyzer(m)]));
const analyzer = (mode: StreamingMode) => analyzers.get(mode)!;

/** The tokens of an analysis as [begin, end, normalized]. */
function toks(t: AnalyzedText): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (let k = 0; k < t.count; k++) {
    out.push([t.begin[k], t.end[k], decoder.decode(t.bytes.subarray(t.byteStart[k], t.byteEnd[k]))]);
  }
  return out;
}

/** Tokens of `text` in `mode`, checking that each covers `text.slice(begin, end)` sensibly. */
function tokens(text: string, mode: StreamingMode = "lower"): [number, number, string][] {
  const ts = toks(analyzer(mode).analyze(text));
  let prevEnd = 0;
  for (const [b, e] of ts) {
    expect(prevEnd <= b && b < e && e <= text.length, `${b}..${e} of ${JSON.stringify(text)}`).toBe(true);
    prevEnd = e;
  }
  return ts;
}

/** The normalized forms only. */
const norm = (text: string, mode: StreamingMode = "lower") => tokens(text, mode).map((t) => t[2]);
const keyOf = (name: string, mode: StreamingMode) => {
  const k = analyzer(mode).key(name);
  return k === null ? null : decoder.decode(k);
};
const blocks = (t: AnalyzedText) => Array.from(t.blockBefore.subarray(0, t.count));

describe("tokenization and offsets", () => {
  it("cGMP is one token, lower-cased except in exact", () => {
    expect(tokens("cGMP", "exact")).toEqual([[0, 4, "cGMP"]]);
    expect(tokens("cGMP")).toEqual([[0, 4, "cgmp"]]);
    expect(tokens("the cGMP-dependent kinase")).toEqual([
      [0, 3, "the"],
      [4, 8, "cgmp"],
      [9, 18, "dependent"],
      [19, 25, "kinase"],
    ]);
  });

  it("β-catenin is β + catenin; Greek is not folded", () => {
    expect(tokens("β-catenin")).toEqual([
      [0, 1, "β"],
      [2, 9, "catenin"],
    ]);
    expect(tokens("Β-Catenin")).toEqual([
      [0, 1, "β"],
      [2, 9, "catenin"],
    ]);
    expect(tokens("Β-Catenin", "exact")).toEqual([
      [0, 1, "Β"],
      [2, 9, "Catenin"],
    ]);
    expect(tokens("Wnt/β‐catenin")).toEqual([
      [0, 3, "wnt"],
      [4, 5, "β"],
      [6, 13, "catenin"],
    ]);
  });

  it("removes a possessive 's (', ’ or S) but keeps the token's offsets", () => {
    expect(tokens("Crohn's")).toEqual([[0, 7, "crohn"]]);
    expect(tokens("Crohn’s")).toEqual([[0, 7, "crohn"]]);
    expect(tokens("CROHN'S", "exact")).toEqual([[0, 7, "CROHN"]]);
    expect(tokens("Crohn's disease", "exact")).toEqual([
      [0, 7, "Crohn"],
      [8, 15, "disease"],
    ]);
    expect(tokens("Sjögren's")).toEqual([[0, 9, "sjogren"]]);
    // Only one 's; a plural possessive keeps its s; an apostrophe at a token's edge is not part of it.
    expect(tokens("x's's")).toEqual([[0, 5, "x's"]]);
    expect(tokens("dogs' 'quoted' 's")).toEqual([
      [0, 4, "dogs"],
      [7, 13, "quoted"],
      [16, 17, "s"],
    ]);
  });

  it("keeps an apostrophe between word characters (O'Brien, O’Brien fold alike)", () => {
    expect(tokens("O'Brien")).toEqual([[0, 7, "o'brien"]]);
    expect(tokens("O’Brien")).toEqual([[0, 7, "o'brien"]]);
    expect(tokens("O'Brien", "exact")).toEqual([[0, 7, "O'Brien"]]);
    expect(tokens("rock'n'roll l'été")).toEqual([
      [0, 11, "rock'n'roll"],
      [12, 17, "l'ete"],
    ]);
    expect(keyOf("O’Brien", "lower")).toBe(keyOf("o'brien", "lower"));
    // Other quote-like characters separate (but U+02BC MODIFIER LETTER APOSTROPHE is a letter).
    expect(norm("O‘Brien O`Brien Oʼ Brien")).toEqual(["o", "brien", "o", "brien", "oʼ", "brien"]);
  });

  it("folds accents: Sjögren → sjogren (lower), Sjogren (exact)", () => {
    expect(tokens("Sjögren")).toEqual([[0, 7, "sjogren"]]);
    expect(tokens("Sjögren", "exact")).toEqual([[0, 7, "Sjogren"]]);
    expect(tokens("ÉCOLE Straße Æsir Łódź İstanbul")).toEqual([
      [0, 5, "ecole"],
      [6, 12, "strasse"],
      [13, 17, "aesir"],
      [18, 22, "lodz"],
      [23, 31, "istanbul"],
    ]);
  });

  it("attaches combining marks to their token and folds decomposed like precomposed", () => {
    expect(tokens("e\u0301te\u0301")).toEqual([[0, 5, "ete"]]);
    expect(tokens("été")).toEqual([[0, 3, "ete"]]);
    expect(tokens("Sjo\u0308gren syndrome")).toEqual([
      [0, 8, "sjogren"],
      [9, 17, "syndrome"],
    ]);
    // A mark never starts a token; after a separator it is skipped.
    expect(tokens("\u0301abc \u0301")).toEqual([[1, 4, "abc"]]);
    // Marks on non-Latin letters survive (Devanagari vowel sign).
    expect(tokens("हिन्दी")).toEqual([[0, 6, "हिन्दी"]]);
  });

  it("emoji, symbols and punctuation between words separate, offsets counted in UTF-16 units", () => {
    expect(tokens("Crohn😀disease")).toEqual([
      [0, 5, "crohn"],
      [7, 14, "disease"],
    ]);
    expect(tokens("😀👍🏽 a😀😀b ✓c")).toEqual([
      [7, 8, "a"],
      [12, 13, "b"],
      [15, 16, "c"],
    ]);
  });

  it("astral letters and marks belong to tokens (2 units each)", () => {
    expect(tokens("𠀀𠀁x 𝐀b")).toEqual([
      [0, 5, "𠀀𠀁x"],
      [6, 9, "𝐀b"],
    ]);
    // U+1D165 MUSICAL SYMBOL COMBINING STEM is a mark: it continues a token.
    expect(tokens("a\u{1d165}b c")).toEqual([
      [0, 4, "a\u{1d165}b"],
      [5, 6, "c"],
    ]);
  });

  it("lone surrogates separate and never crash or shift offsets", () => {
    expect(tokens("\ud800abc\udc00def\ud800")).toEqual([
      [1, 4, "abc"],
      [5, 8, "def"],
    ]);
    expect(tokens("abc\ud800def\udbff")).toEqual([
      [0, 3, "abc"],
      [4, 7, "def"],
    ]);
    expect(tokens("\udc00\ud800")).toEqual([]);
    expect(tokens("x'\ud800 y'\udc00")).toEqual([
      [0, 1, "x"],
      [4, 5, "y"],
    ]);
  });

  it("digits: runs of digits and letters, decimal points and hyphens separate, other scripts' digits fold", () => {
    expect(tokens("123 4.5 IL-6 2nd 10%")).toEqual([
      [0, 3, "123"],
      [4, 5, "4"],
      [6, 7, "5"],
      [8, 10, "il"],
      [11, 12, "6"],
      [13, 16, "2nd"],
      [17, 19, "10"],
    ]);
    expect(norm("３ ٣ ²")).toEqual(["3", "٣", "2"]);
  });

  it("any whitespace or punctuation is a gap", () => {
    expect(norm("a\tb\nc\r\nd\u00a0e\u3000f\u2028g—h;i(j)k")).toEqual([..."abcdefghijk"]);
  });

  it("marks the first token after a U+2029 block boundary", () => {
    const t = analyzer("lower").analyze(`${BLOCK_CHAR}a b${BLOCK_CHAR}c ${BLOCK_CHAR} ${BLOCK_CHAR} d e`);
    expect(toks(t).map((x) => x[2])).toEqual(["a", "b", "c", "d", "e"]);
    expect(blocks(t)).toEqual([1, 0, 1, 1, 0]);
    expect(blocks(analyzer("lower").analyze("no blocks here"))).toEqual([0, 0, 0]);
  });

  it("grows its buffers for long texts and long tokens, and resets between texts", () => {
    const into = new AnalyzedText();
    const long = Array.from({ length: 500 }, (_, k) => `wörd${k}`).join(" ");
    const a = analyzer("lower");
    a.analyze(long, into);
    expect(into.count).toBe(500);
    expect(toks(into)[499]).toEqual([long.length - 7, long.length, "word499"]);
    const big = "x".repeat(5000);
    expect(toks(a.analyze(`${big} y`, into))).toEqual([
      [0, 5000, big],
      [5001, 5002, "y"],
    ]);
    expect(toks(a.analyze("", into))).toEqual([]);
    expect(toks(a.analyze("Crohn", into))).toEqual([[0, 5, "crohn"]]);
  });

  it("starts every token at a multiple of 4 with zeros after it, and words views the same bytes", () => {
    const soup = fc.array(
      fc.constantFrom(
        "a",
        "Bc",
        "dé",
        "x's",
        "ſ",
        "β",
        "😀",
        "\u0301",
        " ",
        "-",
        "'",
        "\ud800",
        BLOCK_CHAR,
        "the",
        "running",
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(soup, fc.constantFrom(...STREAMING_MODES), (parts, mode) => {
        const t = analyzer(mode).analyze(parts.join(""));
        expect(t.words.buffer).toBe(t.bytes.buffer);
        for (let k = 0; k < t.count; k++) {
          expect(t.byteStart[k] % 4).toBe(0);
          for (let b = t.byteEnd[k]; b % 4 !== 0; b++) expect(t.bytes[b]).toBe(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

it("analyzes a long text (the native ASCII fast path and its fallback) as the sum of its words", () => {
  // Texts of 64 units or more are scanned from a byte copy (encoded natively when ASCII, by a
  // JavaScript pass otherwise); short words take the short path. Both must give the same tokens.
  const piece = fc.constantFrom(
    "alpha",
    "Crohn's",
    "dé",
    "β",
    "😀x",
    "e\u0301t",
    "the",
    "running",
    "cGMP",
    "x'y",
  );
  const sep = fc.constantFrom(" ", ", ", "-", "\n", " ' ", " \ud800 ", " 😀 ");
  fc.assert(
    fc.property(
      fc.array(fc.tuple(piece, sep), { minLength: 20, maxLength: 60 }),
      fc.constantFrom(...STREAMING_MODES),
      (parts, mode) => {
        const text = parts.map(([w, s]) => w + s).join("");
        const expected: [number, number, string][] = [];
        let at = 0;
        for (const [w, s] of parts) {
          for (const [b, e, norm] of toks(analyzer(mode).analyze(w))) expected.push([at + b, at + e, norm]);
          at += w.length + s.length;
        }
        expect(text.length).toBeGreaterThanOrEqual(64);
        expect(toks(analyzer(mode).analyze(text))).toEqual(expected);
      },
    ),
    { numRuns: 300 },
  );
});

describe("modes", () => {
  it("lower keeps stop words, stop and the stem modes drop them (after lower-casing)", () => {
    const text = "The Bank of America and THE state";
    expect(norm(text, "exact")).toEqual(["The", "Bank", "of", "America", "and", "THE", "state"]);
    expect(norm(text, "lower")).toEqual(["the", "bank", "of", "america", "and", "the", "state"]);
    for (const m of ["stop", "stem1", "stem2", "stem3"] as const) {
      const t = analyzer(m).analyze(text);
      expect(
        toks(t).map((x) => x[0]),
        m,
      ).toEqual([4, 12, 28]);
      expect(t.dropped, m).toBe(4);
    }
    expect(analyzer("lower").analyze(text).dropped).toBe(0);
  });

  it("drops exactly Lucene's 33 stop words", () => {
    const all = [...ENGLISH_STOP_WORDS].join(" ");
    const t = analyzer("stop").analyze(`${all} ${all.toUpperCase()}`);
    expect(t.count).toBe(0);
    expect(t.dropped).toBe(66);
    expect(norm("thereby them those theirs its an' a's", "stop")).toEqual([
      "thereby",
      "them",
      "those",
      "theirs",
      "its",
    ]);
  });

  it("stem1 (minimal) removes plurals only", () => {
    expect(norm("cells studies diseases viruses classes ponies toes virus class is Cells", "stem1")).toEqual([
      "cell",
      "study",
      "disease",
      "viruse",
      "classe",
      "pony",
      "toes",
      "virus",
      "class",
      "cell",
    ]);
  });

  it("stem2 (Krovetz) gives dictionary words", () => {
    expect(
      norm("cells studies diseases viruses classes activities universities antibodies activated", "stem2"),
    ).toEqual([
      "cell",
      "study",
      "disease",
      "virus",
      "class",
      "activity",
      "university",
      "antibody",
      "activate",
    ]);
  });

  it("stem3 (Porter) gives Porter stems", () => {
    expect(
      norm("running connections generalization happiness activities diseases Studies relational", "stem3"),
    ).toEqual(["run", "connect", "gener", "happi", "activ", "diseas", "studi", "relat"]);
  });

  it("each mode chains possessive, lower-case, fold, stop and stem in that order", () => {
    const text = "Crohn’s DISEASES The Sjögren's";
    expect(norm(text, "exact")).toEqual(["Crohn", "DISEASES", "The", "Sjogren"]);
    expect(norm(text, "lower")).toEqual(["crohn", "diseases", "the", "sjogren"]);
    expect(norm(text, "stop")).toEqual(["crohn", "diseases", "sjogren"]);
    expect(norm(text, "stem1")).toEqual(["crohn", "disease", "sjogren"]);
    expect(norm(text, "stem2")).toEqual(["crohn", "disease", "sjogren"]);
    expect(norm(text, "stem3")).toEqual(["crohn", "diseas", "sjogren"]);
  });
});

describe("key()", () => {
  it("joins the normalized tokens with one 0x20", () => {
    expect(TOKEN_SEPARATOR).toBe(0x20);
    expect(analyzer("lower").key("Bank  of\tAmerica")).toEqual(new TextEncoder().encode("bank of america"));
    expect(keyOf("Bank of America", "stop")).toBe("bank america");
    expect(keyOf("Crohn's Disease", "exact")).toBe("Crohn Disease");
    expect(keyOf("β-Catenin", "lower")).toBe("β catenin");
    expect(keyOf("Diseases of the Liver", "stem3")).toBe("diseas liver");
    expect(keyOf("cGMP", "lower")).toBe("cgmp");
  });

  it("is null when nothing remains: stop words only (in stop modes), punctuation, empty", () => {
    for (const m of ["stop", "stem1", "stem2", "stem3"] as const) {
      expect(analyzer(m).key("The Of And"), m).toBeNull();
      expect(analyzer(m).key("to be or not to be"), m).toBeNull();
    }
    expect(keyOf("The Of And", "lower")).toBe("the of and");
    expect(keyOf("The Of And", "exact")).toBe("The Of And");
    for (const m of STREAMING_MODES) {
      expect(analyzer(m).key(""), m).toBeNull();
      expect(analyzer(m).key(" -- ;; 😀 \u2029"), m).toBeNull();
    }
  });

  it("equals the analysis of the same text joined, for any text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.constantFrom(...STREAMING_MODES),
        (s, m) => {
          const parts = norm(s, m);
          const k = analyzer(m).key(s);
          if (parts.length === 0) expect(k).toBeNull();
          else expect(decoder.decode(k!)).toBe(parts.join(" "));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** The chain of `mode` applied to one token's text, built from the steps' own functions (no memo). */
function reference(token: string, mode: StreamingMode): string | null {
  const steps = MODE_STEPS[mode];
  let s = removePossessive(token);
  if (steps.lower) s = s.toLowerCase();
  s = foldToAscii(s);
  if (steps.stop && isStopWord(s)) return null;
  if (steps.stem === "minimal") s = minimalStem(s);
  if (steps.stem === "krovetz") s = krovetzStem(s);
  if (steps.stem === "porter") s = porterStem(s);
  return s;
}

describe("properties", () => {
  const wordChar = /^[\p{L}\p{N}]/u;

  it("tokens are ordered, in bounds, start on a letter or digit, and cover every letter and digit", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 5 }),
            fc.constantFrom(
              "Crohn's",
              "O'Brien",
              "e\u0301",
              "β-",
              "😀",
              "\ud800",
              "\udc00",
              "'",
              " ",
              BLOCK_CHAR,
            ),
          ),
          { maxLength: 20 },
        ),
        (parts) => {
          const text = parts.join("");
          const t = analyzer("lower").analyze(text);
          const covered = new Uint8Array(text.length);
          let prev = 0;
          for (let k = 0; k < t.count; k++) {
            const b = t.begin[k];
            const e = t.end[k];
            expect(prev <= b && b < e && e <= text.length).toBe(true);
            expect(wordChar.test(text.slice(b))).toBe(true);
            covered.fill(1, b, e);
            prev = e;
            const bytes = t.bytes.subarray(t.byteStart[k], t.byteEnd[k]);
            expect(bytes.includes(TOKEN_SEPARATOR)).toBe(false);
            // The token's own analysis, alone, gives the same normalized form.
            expect(decoder.decode(bytes)).toBe(reference(text.slice(b, e), "lower"));
          }
          for (let i = 0; i < text.length; i++) {
            const cp = text.codePointAt(i)!;
            if (cp >= 0xdc00 && cp <= 0xdfff && i > 0 && text.codePointAt(i - 1)! > 0xffff) continue;
            if (wordChar.test(String.fromCodePoint(cp)))
              expect(covered[i], `${i} in ${JSON.stringify(text)}`).toBe(1);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("memo consistency", () => {
  /** A deterministic mix of distinct tokens: ASCII, capitals, non-ASCII, possessives, stop words. */
  function distinctTokens(n: number, minLen: number): string[] {
    const out: string[] = [];
    const stops = [...ENGLISH_STOP_WORDS];
    for (let i = 0; i < n; i++) {
      let w = "";
      let x = i + 1;
      while (x > 0) {
        w += String.fromCharCode(97 + (x % 26));
        x = Math.floor(x / 26);
      }
      while (w.length < minLen) w += "ing".slice(0, minLen - w.length);
      if (i % 7 === 0) out.push(stops[i % stops.length]);
      if (i % 5 === 0) w = w.toUpperCase();
      if (i % 11 === 0) w += "é";
      if (i % 13 === 0) w += "'s";
      if (i % 17 === 0) w += "ies";
      out.push(w);
    }
    return out;
  }

  for (const [label, n, minLen] of [
    ["100k short tokens (the table fills and clears)", 100_000, 1],
    ["60k long tokens (the pool fills and clears)", 60_000, 24],
  ] as const) {
    it(`${label}: every mode matches the unmemoized chain, twice, and a fresh analyzer`, () => {
      const words = distinctTokens(n, minLen);
      const text = words.join(" ");
      const small = "The Crohn's diseases of Sjögren's studies";
      // Serialized, so that comparing 100k tokens costs one string compare.
      const ser = (ts: [number, number, string][]) => ts.map((t) => t.join(",")).join("\n");
      for (const m of STREAMING_MODES) {
        const a = new Analyzer(m);
        let p = 0;
        const expected: [number, number, string][] = [];
        for (const w of words) {
          const r = reference(w, m);
          if (r !== null) expected.push([p, p + w.length, r]);
          p += w.length + 1;
        }
        const want = ser(expected);
        const first = a.analyze(text);
        expect(first.count, m).toBe(expected.length);
        expect(first.dropped, m).toBe(words.length - expected.length);
        expect(ser(toks(first)) === want, m).toBe(true);
        // Again, now with a memo filled and cleared at other points.
        expect(ser(toks(a.analyze(text))) === want, m).toBe(true);
        expect(toks(a.analyze(small)), m).toEqual(toks(new Analyzer(m).analyze(small)));
        const name = "Crohn's Diseases of the Liver";
        expect(a.key(name), m).toEqual(new Analyzer(m).key(name));
      }
    });
  }

  it("the same text twice, and interleaved texts, give identical results", () => {
    for (const m of STREAMING_MODES) {
      const a = new Analyzer(m);
      const t1 = "The diseases of the liver and the studies of cells";
      const t2 = "Cells studied; livers' diseases";
      const r1 = toks(a.analyze(t1));
      const r2 = toks(a.analyze(t2));
      expect(toks(a.analyze(t1)), m).toEqual(r1);
      expect(toks(a.analyze(t2)), m).toEqual(r2);
      expect(toks(new Analyzer(m).analyze(t2)), m).toEqual(r2);
    }
  });

  // Regression: a token bigger than the memo's pool used to throw "RangeError: offset is out of bounds".
  it("a token longer than the memo's pool (stop modes) does not throw", () => {
    const huge = "a".repeat(600_000);
    for (const m of ["stop", "stem1", "stem2", "stem3"] as const) {
      expect(toks(new Analyzer(m).analyze(`x ${huge} y`)).map((t) => [t[0], t[1]])).toEqual([
        [0, 1],
        [2, 600_002],
        [600_003, 600_004],
      ]);
    }
  });

  // Regression: a dropped stop word used to clear the block flag, so matches crossed paragraphs.
  it("a block boundary before a dropped stop word still marks the next kept token", () => {
    for (const m of ["stop", "stem1", "stem2", "stem3"] as const) {
      expect(blocks(new Analyzer(m).analyze(`North${BLOCK_CHAR}the Carolina`)), m).toEqual([0, 1]);
      const lex = new Lexicon("l", [{ id: "1", names: ["North Carolina"] }]);
      const raw = "<p>North</p><p>the Carolina</p>";
      expect(new Annotator().annotate(raw, [lex], { matching: m, format: "html" }), m).toEqual([]);
    }
  });
});
