import { describe, expect, it } from "vitest";
import { PageAlignment, squash } from "../../../bench/quality/align.js";

describe("squash", () => {
  it("lower-cases, undoes hyphenation at line ends and collapses white space, keeping offsets", () => {
    const s = squash("Myelo-\n  dysplastic   Syndrome\n");
    expect(s.text).toBe("myelodysplastic syndrome ");
    expect(s.origin[0]).toBe(0);
    expect(s.origin[5]).toBe(9); // "d" after the broken line
    expect(s.origin[s.text.length]).toBe(31);
  });
});

describe("PageAlignment", () => {
  it("carries a span of the clean text to where OCR put it, not to another mention of the word", () => {
    const clean = "the membrane of a cell, then the membrane pore";
    const ocr = "the membrane of a cell, then the mernbrane pote";
    const al = new PageAlignment(clean, ocr);
    const second = clean.lastIndexOf("membrane");
    const span = al.ocrSpan(second, second + "membrane".length);
    expect(al.ocr.text.slice(span.begin, span.end)).toBe("mernbrane");
    const pore = clean.lastIndexOf("pore");
    const p = al.ocrSpan(pore, pore + 4);
    expect(al.ocr.text.slice(p.begin, p.end)).toBe("pote");
  });
});
