import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { editDistance as levenshtein } from "../../src/fst/levenshtein.js";
import { boxesForSpan } from "../../src/ocr/boxes.js";
import { cer } from "../../src/ocr/cer.js";
import { minAreaRect, unclip } from "../../src/ocr/geometry.js";
import { hocrToText, parseHocr } from "../../src/ocr/hocr.js";
import { inkBounds, type RgbImage } from "../../src/ocr/image.js";
import { OnnxShapeError, withInputDim } from "../../src/ocr/onnx-shape.js";
import type { OcrWord } from "../../src/ocr/types.js";

const fixture = (f: string) => new URL(`../fixtures/ocr/${f}`, import.meta.url);

describe("cer", () => {
  it("is the character edit distance over the reference length, whitespace-normalized", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(cer("a  b\nc", "a b c")).toBe(0);
    expect(cer("abcd", "abed")).toBe(0.25);
  });
});

/** A `width × height` page of grey `bg`, with an `ink` rectangle of the opposite grey. */
function page(
  width: number,
  height: number,
  bg: number,
  ink?: { x: number; y: number; w: number; h: number },
) {
  const data = Buffer.alloc(width * height * 3, bg);
  if (ink)
    for (let y = ink.y; y < ink.y + ink.h; y++)
      data.fill(255 - bg, (y * width + ink.x) * 3, (y * width + ink.x + ink.w) * 3);
  return { data, width, height } satisfies RgbImage;
}

describe("inkBounds", () => {
  it("is the inked rectangle grown by the margin and clipped to the page, on light or dark paper", () => {
    expect(inkBounds(page(100, 80, 250, { x: 30, y: 20, w: 10, h: 5 }), 4)).toEqual({
      left: 26,
      top: 16,
      width: 18,
      height: 13,
    });
    expect(inkBounds(page(100, 80, 10, { x: 2, y: 70, w: 98, h: 10 }), 4)).toEqual({
      left: 0,
      top: 66,
      width: 100,
      height: 14,
    });
  });

  it("is undefined on a blank page", () => {
    expect(inkBounds(page(50, 40, 255), 8)).toBeUndefined();
  });
});

/** A length-delimited protobuf field (numbers and lengths below 16 and 128). */
const msg = (field: number, ...body: number[][]) => [(field << 3) | 2, body.flat().length, ...body.flat()];
/** A ModelProto whose graph has one input with dims [1, 3, `h` (or the name "h"), 8]. */
function model(h: number | "h"): Uint8Array {
  const dim = (v: number | "h") => msg(1, v === "h" ? msg(2, [0x68]) : [0x08, v]);
  const shape = msg(2, dim(1), dim(3), dim(h), dim(8));
  const input = msg(11, msg(1, [0x78]), msg(2, msg(1, [0x08, 1], shape)));
  return Uint8Array.from(msg(7, msg(1, [0x0a, 0]), input));
}

describe("withInputDim", () => {
  it("patches one fixed dimension of a graph input, leaving every other byte alone", () => {
    const before = model(48);
    const after = withInputDim(before, 0, 2, 36);
    expect([...after]).toEqual([...model(36)]);
    expect([...before]).toEqual([...model(48)]);
  });

  it("leaves a symbolic dimension as it is and rejects what it cannot patch", () => {
    const named = model("h");
    expect(withInputDim(named, 0, 2, 36)).toBe(named);
    expect(() => withInputDim(model(48), 0, 2, 300)).toThrow(OnnxShapeError);
    expect(() => withInputDim(model(48), 1, 2, 36)).toThrow(/no graph input/);
    expect(() => withInputDim(model(48), 0, 4, 36)).toThrow(/no dimension/);
  });
});

describe("geometry", () => {
  it("finds a rotated rectangle and grows it by DB's unclip", () => {
    const pts = [];
    const a = Math.PI / 36; // 5°
    for (const [s, t] of [
      [0, 0],
      [100, 0],
      [100, 20],
      [0, 20],
      [50, 10],
    ])
      pts.push({ x: 10 + s * Math.cos(a) - t * Math.sin(a), y: 10 + s * Math.sin(a) + t * Math.cos(a) });
    const q = minAreaRect(pts);
    expect(q.w).toBeCloseTo(100, 5);
    expect(q.h).toBeCloseTo(20, 5);
    expect(q.u.x).toBeCloseTo(Math.cos(a), 5);
    const g = unclip(q, 1.5);
    expect(g.w - q.w).toBeCloseTo((2 * (100 * 20 * 1.5)) / 240, 5);
  });
});

describe("boxesForSpan", () => {
  const word = (text: string, begin: number, line: number, x: number, y: number): OcrWord => ({
    text,
    begin,
    end: begin + text.length,
    line,
    confidence: 1,
    box: { x, y, w: 10 * text.length, h: 20 },
  });
  // "acute myeloid\nleukemia today"
  const page = {
    words: [
      word("acute", 0, 0, 0, 0),
      word("myeloid", 6, 0, 60, 2),
      word("leukemia", 14, 1, 0, 30),
      word("today", 23, 1, 90, 30),
    ],
  };

  it("gives one box per line, the union of the words of the span on it", () => {
    expect(boxesForSpan(page, 0, 22)).toEqual([
      { x: 0, y: 0, w: 130, h: 22 },
      { x: 0, y: 30, w: 80, h: 20 },
    ]);
    expect(boxesForSpan(page, 6, 13)).toEqual([{ x: 60, y: 2, w: 70, h: 20 }]);
  });

  it("covers whole words for a span inside a word, nothing for a span between words", () => {
    expect(boxesForSpan(page, 15, 17)).toEqual([{ x: 0, y: 30, w: 80, h: 20 }]);
    expect(boxesForSpan(page, 13, 14)).toEqual([]);
  });
});

describe("hOCR", () => {
  const html = readFileSync(fixture("img.hocr"), "utf8");

  it("reads Tesseract's hOCR of img.png: words, lines, page size and text", () => {
    const page = parseHocr(html);
    expect(page.width).toBe(2256);
    expect(page.height).toBe(324);
    expect(page.words).toHaveLength(47);
    expect(page.lines).toHaveLength(4);
    expect(cer(readFileSync(fixture("img.txt"), "utf8"), page.text)).toBeLessThan(0.03);
    const firefox = page.words.find((w) => w.text === "Firefox,")!;
    expect(firefox.box).toEqual({ x: 1694, y: 98, w: 172, h: 46 });
    expect(firefox.confidence).toBeCloseTo(0.96);
    expect(firefox.line).toBe(1);
    for (const w of page.words) expect(page.text.slice(w.begin, w.end)).toBe(w.text);
    expect(page.text.split(/\n+/)).toHaveLength(4);
  });

  it("maps text offsets back to the markup", () => {
    const t = hocrToText(html);
    const w = t.words.find((x) => x.text === "Cloudflare,")!;
    expect(html.slice(t.from[w.begin], t.to[w.end - 1])).toBe("Cloudflare,");
    expect(t.from).toHaveLength(t.text.length);
  });

  it("decodes character references, keeps paragraphs apart and splits lines without word elements", () => {
    const doc =
      "<html><body><div class='ocr_page' title='bbox 0 0 500 200'>" +
      "<p class='ocr_par'><span class='ocr_line' title='bbox 0 0 300 20'>" +
      "<span class='ocrx_word' title='bbox 0 0 100 20; x_wconf 90'>Smith&amp;</span> " +
      "<span class='ocrx_word' title='bbox 110 0 200 20; x_wconf 80'><strong>Wesson</strong></span></span></p>" +
      "<p class='ocr_par'><span class='ocr_line' title='bbox 0 100 400 120'>ab cd</span></p></div></body></html>";
    const t = hocrToText(doc);
    expect(t.text).toBe("Smith& Wesson\n\nab cd");
    expect(t.words.map((w) => w.confidence)).toEqual([0.9, 0.8, 1, 1]);
    expect(t.words[2].box).toEqual({ x: 0, y: 100, w: 160, h: 20 });
    expect(t.words[3].box.x).toBe(240);
    const amp = t.text.indexOf("&");
    expect(doc.slice(t.from[amp], t.to[amp])).toBe("&amp;");
    expect(t.lines.map((l) => l.text)).toEqual(["Smith& Wesson", "ab cd"]);
  });
});
