import { describe, expect, it } from "vitest";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { isRealWord } from "../../src/fuzzy/fuzzy-index.js";
import { fuzzyAnnotate, fuzzyTokens } from "../../src/fuzzy/index.js";

// Gene Ontology terms and synonyms (r-bioc-go.db), with the OCR errors Tesseract made of them in
// bench/quality (GO definitions rendered at 100-150 dpi).
const lex = new Lexicon("go", [
  { id: "GO:0120025", names: ["plasma membrane bounded cell projection"] },
  { id: "GO:0007186", names: ["G protein-coupled receptor signaling pathway"] },
  { id: "GO:0019722", names: ["calcium-mediated signaling"] },
  { id: "GO:0035374", names: ["chondroitin sulfate binding"] },
  { id: "GO:0003943", names: ["N-acetylgalactosamine-4-sulfatase", "chondroitinsulfatase"] },
  { id: "GO:0000785", names: ["chromatin"] },
  { id: "GO:0007062", names: ["sister chromatid cohesion"] },
  { id: "GO:0051320", names: ["S phase"] },
  { id: "GO:0043005", names: ["neuron projection", "nerve fiber"] },
  { id: "GO:0005634", names: ["nucleus"] },
  { id: "X:hach", names: ["HACH"] },
  { id: "GO:0043657", names: ["host cell"] },
  { id: "GO:0030430", names: ["host cell cytoplasm"] },
  { id: "GO:0030315", names: ["T-tubule"] },
  { id: "GO:0030855", names: ["epithelial cell differentiation"] },
  { id: "GO:0031975", names: ["envelope"] },
  { id: "GO:0005886", names: ["cellular membrane"] },
  { id: "GO:0008365", names: ["adult chitin-based cuticle development"] },
  { id: "GO:0007127", names: ["meiosis I"] },
  { id: "GO:0009523", names: ["photosystem II"] },
  { id: "GO:0017156", names: ["calcium ion-dependent exocytosis"] },
  { id: "X:polymerase-l", names: ["polymerase L"] },
  { id: "GO:0009986", names: ["cell surface"] },
  { id: "GO:0016055", names: ["Wnt signaling pathway"] },
  { id: "X:gem-domain", names: ["GEM domain"] },
  { id: "GO:0001410", names: ["chlamydospore formation"] },
  // Genera of the NCBI taxonomy (names-all.tsv of bench/data) that garbled English words come near.
  { id: "taxon:1205627", names: ["Brothera"] },
  { id: "taxon:48211", names: ["Armeria"] },
  {
    id: "GO:0005160",
    names: ["transforming growth factor beta receptor binding", "transforming growth factor beta"],
  },
]);
const fuzzy = (text: string) => fuzzyAnnotate(text, [lex]).map((a) => [a.id, a.coveredText]);

describe("fuzzy matching of what Tesseract does", () => {
  it("reads a real word as the next word of a name begun, by a confusion or one edit", () => {
    expect(fuzzy("the plasma membrane hounded cell projection")).toEqual([
      ["GO:0120025", "plasma membrane hounded cell projection"],
    ]);
    // An inflection is not a misreading.
    expect(fuzzy("along nerve fibers")).toEqual([]);
  });

  it("finds a name whose first word has the article run into it, from the name's first letter", () => {
    const text = "NADP. AG\nprotein-coupled receptor signaling pathway initiated";
    const [a, ...rest] = fuzzyAnnotate(text, [lex]);
    expect(rest).toEqual([]);
    expect(a.id).toBe("GO:0007186");
    expect(a.coveredText).toBe("G\nprotein-coupled receptor signaling pathway");
    expect(a.begin).toBe(text.indexOf("G\n"));
    // A lower-case one-letter rest is the word "as", not "a" + "S phase".
    expect(fuzzy("as phase")).toEqual([]);
  });

  it("joins a garbled piece with a stub, but not two words of the names", () => {
    expect(fuzzy("calc tam-mediated signaling")).toEqual([["GO:0019722", "calc tam-mediated signaling"]]);
    expect(fuzzy("chondroitin sulfate binding")).toEqual([["GO:0035374", "chondroitin sulfate binding"]]);
    expect(fuzzy("of chondroitin sulfate")).toEqual([]);
  });

  it("leaves a token legible as an inflection of a name's word alone", () => {
    expect(fuzzy("sister chromatids")).toEqual([]);
    expect(fuzzy("chromatln")).toEqual([["GO:0000785", "chromatln"]]);
  });

  it("reads a garbled short token inside a name begun with one edit, a letter lost or doubled", () => {
    expect(fuzzy("in the host cel cytoplasm")).toEqual([["GO:0030430", "host cel cytoplasm"]]);
    expect(fuzzy("of the host celll")).toEqual([["GO:0043657", "host celll"]]);
    // A real word that short is left alone; so is a word with more after it ("beta1" read "betal").
    expect(fuzzy("the host call")).toEqual([]);
    expect(fuzzy("transforming growth factor-betal")).toEqual([]);
    expect(fuzzy("transforming growth factor beta")).toEqual([
      ["GO:0005160", "transforming growth factor beta"],
    ]);
  });

  it("reads a token garbled past a word's edits between words of a name, not at its end", () => {
    // Page 0 of bench/quality: "chitin" read "ctin" (two letters lost of six).
    expect(fuzzy("from adult ctin-hased cuticle development in")).toEqual([
      ["GO:0008365", "adult ctin-hased cuticle development"],
    ]);
    // The name's last word, or two such tokens in a row, no.
    expect(fuzzy("in the adult chitin-based cuticle devmt")).toEqual([]);
    expect(fuzzy("transforming growth fctr beta receptor binding")).toEqual([
      ["GO:0005160", "transforming growth fctr beta receptor binding"],
    ]);
    expect(fuzzy("transforming grwt fctr beta receptor binding")).toEqual([]);
  });

  it("reads a short token inside a name begun by its confusable glyphs, but not a letter as another", () => {
    // Pages 158, 169 and 190 of bench/quality (360 pages).
    expect(fuzzy("in meiosis | (the first)")).toEqual([["GO:0007127", "meiosis |"]]);
    expect(fuzzy("of photosystem ll, the")).toEqual([["GO:0009523", "photosystem ll"]]);
    expect(fuzzy("calcium jon-dependent exocytosis.")).toEqual([
      ["GO:0017156", "calcium jon-dependent exocytosis"],
    ]);
    expect(fuzzy("RNA polymerase I")).toEqual([]);
  });

  it("reads a garbled short token as a name's first word when the name's next word follows", () => {
    // Pages 123 and 228 of bench/quality (360 pages).
    expect(fuzzy("on the cll surface.")).toEqual([["GO:0009986", "cll surface"]]);
    expect(fuzzy("the wot signaling pathway")).toEqual([["GO:0016055", "wot signaling pathway"]]);
    // Not without the next word, nor for a symbol in capitals.
    expect(fuzzy("on the cll.")).toEqual([]);
    expect(fuzzy("the LEM domain")).toEqual([]);
  });

  it("spans a colon inside a name at a cost (OCR reads specks as colons), not a full stop", () => {
    // Page 218 of bench/quality (360 pages).
    expect(fuzzy("for chiamydospore: formation.")).toEqual([["GO:0001410", "chiamydospore: formation"]]);
    expect(fuzzy("for chlamydospore: formation.")).toEqual([["GO:0001410", "chlamydospore: formation"]]);
    expect(fuzzy("for chlamydospore. Formation")).toEqual([]);
  });

  it("reads a word cut short inside a name, not alone", () => {
    expect(fuzzy("for epithelia cll differentiation,")).toEqual([
      ["GO:0030855", "epithelia cll differentiation"],
    ]);
    expect(fuzzy("to envelop the cell")).toEqual([]);
    // More after a word is not the word: an inflection, or another word.
    expect(fuzzy("epithelials")).toEqual([]);
  });

  it("reads a garbled English word as that word, not as a name's word as near, but inside a longer name", () => {
    // brothers (b/h) is nearer than Brothera; America is as near as Armeria.
    expect(fuzzy("are brotbers who run")).toEqual([]);
    expect(fuzzy("worthy of Arnerica, with")).toEqual([]);
    expect(fuzzy("Brotbera")).toEqual([["taxon:1205627", "Brotbera"]]);
    // cellar is as near as cellular, but "membrane" follows.
    expect(fuzzy("the celular membrane.")).toEqual([["GO:0005886", "celular membrane"]]);
  });

  it("splits a one-letter word run into the next where the two begin a name", () => {
    expect(fuzzy("the ‘ttubule is")).toEqual([["GO:0030315", "ttubule"]]);
    expect(fuzzy("the xtubule is")).toEqual([]);
  });

  it("needs five letters on both sides for one word read with more than a confusion", () => {
    expect(fuzzy("whach")).toEqual([]);
    expect(fuzzy("nucleuz")).toEqual([["GO:0005634", "nucleuz"]]);
    // As near to nuclear, an English word outside the names: left alone.
    expect(fuzzy("nucleas")).toEqual([]);
  });
});

describe("fuzzy matching of pathological input", () => {
  it("reads a token of thousands of letters as nothing, without searching its deletions", () => {
    // Once: its 2-deletion neighbourhood (n² / 2 variants) did not fit a typed array (RangeError).
    let s = 7;
    const letters = Array.from({ length: 200_000 }, () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return String.fromCharCode(97 + (s % 26));
    }).join("");
    expect(fuzzyAnnotate(`the ${letters} nucleus`, [lex]).map((a) => a.coveredText)).toEqual(["nucleus"]);
    expect(fuzzy(`${"nucleus".repeat(3)} nucleuz`)).toEqual([["GO:0005634", "nucleuz"]]);
  });
});

describe("fuzzyTokens", () => {
  it("returns arrays of its own: a later call does not change an earlier result", () => {
    const a = fuzzyTokens("Rnitochondrial  cell-adhesion, the nucleus's");
    const before = JSON.stringify({
      ...a,
      ids: [...a.ids],
      begin: [...a.begin],
      end: [...a.end],
      gap: [...a.gap],
    });
    fuzzyTokens("a completely different and much longer text ".repeat(200));
    fuzzyAnnotate("nucleus and chromatin", [lex]);
    expect(
      JSON.stringify({ ...a, ids: [...a.ids], begin: [...a.begin], end: [...a.end], gap: [...a.gap] }),
    ).toBe(before);
    expect(a.words).toEqual(["rnitochondrial", "cell", "adhesion", "the", "nucleus"]);
    expect([...a.begin]).toEqual([0, 16, 21, 31, 35]);
    expect(a.ids.length).toBe(a.count);
  });
});

describe("isRealWord", () => {
  it("takes words, suffixed words and prefixed words, but not OCR garbage that parses as them", () => {
    for (const w of ["united", "impairing", "steamboats", "unchanged", "reprinted"])
      expect(isRealWord(w)).toBe(true);
    // "unitcd" (OCR's "united") is not un + itc + d, though the tagger's lexicon lists "itc".
    for (const w of ["unitcd", "ernirates", "chlna"]) expect(isRealWord(w)).toBe(false);
  });

  it("takes WordNet's lemmas that the tagger's lexicon lacks, and their suffixed forms", () => {
    // Numbers spelt out, rare and scientific words: each cost a candidate search and read as junk
    // ("five" as the taxon Givee) before.
    for (const w of ["five", "sixty", "thirteen", "efflux", "abhorrence", "lipase", "lipases"])
      expect(isRealWord(w)).toBe(true);
    for (const w of ["ctin", "sion", "eytoplasm", "axygen"]) expect(isRealWord(w)).toBe(false);
  });

  it("takes a name of the lexicon as a word, but not as the stem of one", () => {
    // The tagger's lexicon lists Carr and Acton (names only): "carrer" and "reacton" are OCR's.
    for (const w of ["carr", "acton"]) expect(isRealWord(w)).toBe(true);
    for (const w of ["carrer", "reacton"]) expect(isRealWord(w)).toBe(false);
  });
});
