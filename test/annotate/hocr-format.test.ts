import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Annotator } from "../../src/annotate/annotator.js";
import { Lexicon } from "../../src/annotate/lexicon.js";

// Tesseract 5.3.0's hOCR of test/fixtures/ocr/img.png (see test/fixtures/ocr/README.md).
const hocr = readFileSync(new URL("../fixtures/ocr/img.hocr", import.meta.url), "utf8");

describe("format hocr", () => {
  const lex = new Lexicon("orgs", [
    { id: "firefox", names: ["Firefox"] },
    { id: "cloudflare", names: ["Cloudflare"] },
    { id: "web", names: ["scalable web services"] },
  ]);

  it("tags the words of an hOCR page, with offsets into the markup", () => {
    const a = new Annotator().annotate(hocr, [lex], { matching: "lower", format: "hocr" });
    expect(a.map((x) => x.id)).toEqual(["firefox", "cloudflare", "web"]);
    for (const x of a) {
      expect(hocr.slice(x.begin, x.end)).toBe(x.coveredText);
      expect(x.coveredText.replace(/<[^>]*>/g, "").replace(/\s+/g, " ")).toMatch(
        new RegExp(x.synonym.split(" ").join("\\s+"), "i"),
      );
    }
    const firefox = a[0].coveredText;
    expect(firefox.startsWith("Firefox")).toBe(true);
  });
});

describe("format hocr on arbitrary input", () => {
  it("never throws and keeps offsets inside the text", async () => {
    const fc = (await import("fast-check")).default;
    const piece = fc.oneof(
      fc.constantFrom(
        "<span class='ocrx_word' title='bbox 1 2 3 4'>",
        "</span>",
        "<div class='ocr_line'>",
        "</div>",
        "Firefox",
        " ",
        "&amp;",
        "<",
        "\ud800",
      ),
      fc.string({ maxLength: 5 }),
    );
    const lex = new Lexicon("l", [{ id: "f", names: ["Firefox"] }]);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const raw = parts.join("");
        for (const a of new Annotator().annotate(raw, [lex], { matching: "lower", format: "hocr" })) {
          expect(a.begin).toBeGreaterThanOrEqual(0);
          expect(a.end).toBeLessThanOrEqual(raw.length);
          expect(raw.slice(a.begin, a.end)).toBe(a.coveredText);
        }
      }),
      { numRuns: 300 },
    );
  });
});
