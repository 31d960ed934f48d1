import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Annotator } from "../../src/annotate/annotator.js";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { annotatePage, boxesForSpan } from "../../src/ocr/boxes.js";
import { cer } from "../../src/ocr/cer.js";
import { ocrCommand } from "../../src/ocr/cli.js";
import { createOcr, type Ocr } from "../../src/ocr/engine.js";
import { parseHocr } from "../../src/ocr/hocr.js";
import { ImageDecodeError } from "../../src/ocr/image.js";
import { redactImage } from "../../src/ocr/redact.js";
import type { Box, OcrPage } from "../../src/ocr/types.js";

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/ocr/${f}`, import.meta.url));
const lexicon = new Lexicon("disease", [
  { id: "D015470", names: ["acute myeloid leukemia"] },
  { id: "D001241", names: ["aspirin"] },
  { id: "D008687", names: ["metformin"] },
]);

/** Fraction of the pixels of `box` darker than mid-grey. */
async function darkFraction(png: Buffer | string, box: Box): Promise<number> {
  const { data, info } = await sharp(png)
    .extract({ left: box.x, top: box.y, width: box.w, height: box.h })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] < 128) dark++;
  return dark / (data.length / info.channels);
}

describe("OCR (PaddleOCR v4 on ONNX Runtime, chosen explicitly)", () => {
  let ocr: Ocr;
  let img: OcrPage;
  let lines: OcrPage;

  beforeAll(async () => {
    ocr = await createOcr({ threads: 2, models: "v4" });
    img = await ocr.recognize(fixture("img.png"));
    lines = await ocr.recognize(readFileSync(fixture("lines.png")));
  }, 120_000);
  afterAll(() => ocr.close());

  it("reads img.png (tesseract-sys's test image) with a CER of at most 3%", () => {
    const c = cer(readFileSync(fixture("img.txt"), "utf8"), img.text);
    expect(c).toBeLessThanOrEqual(0.03);
    expect(img.width).toBe(2256);
    expect(img.height).toBe(324);
    expect(img.lines).toHaveLength(4);
  });

  it("gives every word its offsets in the text, a confidence and a box where Tesseract saw it", () => {
    for (const w of img.words) {
      expect(img.text.slice(w.begin, w.end)).toBe(w.text);
      expect(w.confidence).toBeGreaterThan(0.5);
      expect(w.confidence).toBeLessThanOrEqual(1);
    }
    const tess = parseHocr(readFileSync(fixture("img.hocr"), "utf8"));
    for (const name of ["Firefox,", "Cloudflare,", "Hundreds", "fit."]) {
      const ours = img.words.find((w) => w.text === name)!.box;
      const theirs = tess.words.find((w) => w.text === name)!.box;
      expect(Math.abs(ours.x - theirs.x), name).toBeLessThan(20);
      expect(Math.abs(ours.x + ours.w - (theirs.x + theirs.w)), name).toBeLessThan(20);
      expect(Math.abs(ours.y + ours.h / 2 - (theirs.y + theirs.h / 2)), name).toBeLessThan(15);
    }
  });

  it("keeps lines in reading order and words in line order", () => {
    expect(lines.text).toBe(readFileSync(fixture("lines.txt"), "utf8").trim());
    for (let i = 1; i < lines.lines.length; i++)
      expect(lines.lines[i].box.y).toBeGreaterThan(lines.lines[i - 1].box.y);
    for (let i = 1; i < lines.words.length; i++) {
      const [a, b] = [lines.words[i - 1], lines.words[i]];
      if (a.line === b.line) expect(b.box.x).toBeGreaterThan(a.box.x);
    }
  });

  it("boxes a mention broken across two lines with one box per line", () => {
    const [a] = annotatePage(new Annotator(), lines, [lexicon], "lower").filter((x) => x.id === "D015470");
    expect(a.coveredText).toBe("acute myeloid\nleukemia");
    expect(a.boxes).toHaveLength(2);
    expect(a.boxes).toEqual(boxesForSpan(lines, a.begin, a.end));
    const [first, second] = a.boxes;
    expect(second.y).toBeGreaterThan(first.y + first.h / 2);
    expect(second.x).toBeLessThan(first.x); // "leukemia" starts the second line
  });

  it("redacts: the entity boxes are filled, the rest of the page is not", async () => {
    const found = annotatePage(new Annotator(), lines, [lexicon], "lower");
    const boxes = found.flatMap((a) => a.boxes);
    const png = (await redactImage(fixture("lines.png"), boxes))!;
    for (const b of boxes) expect(await darkFraction(png, b)).toBeGreaterThan(0.99);
    const received = lines.words.find((w) => w.text === "received")!.box;
    expect(await darkFraction(png, received)).toBeLessThan(0.5);
  });

  it("finds text on a page with wide blank margins, boxed where it is on the page", async () => {
    // Detection sees only the inked region: boxes must come back in page coordinates.
    const [left, top] = [700, 900];
    const page = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: "#ffffff" } })
      .composite([{ input: fixture("lines.png"), left, top }])
      .png()
      .toBuffer();
    const moved = await ocr.recognize(page);
    expect(moved.text).toBe(lines.text);
    for (const [i, w] of moved.words.entries()) {
      expect(Math.abs(w.box.x - left - lines.words[i].box.x), w.text).toBeLessThanOrEqual(3);
      expect(Math.abs(w.box.y - top - lines.words[i].box.y), w.text).toBeLessThanOrEqual(3);
    }
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#ffffff" } })
      .png()
      .toBuffer();
    expect((await ocr.recognize(blank)).words).toEqual([]);
  });

  it("runs the recognizer at a height from 33 to 48 only", async () => {
    await expect(createOcr({ models: "v4", recHeight: 32 })).rejects.toThrow(RangeError);
    const tall = await createOcr({ threads: 1, models: "v4", recHeight: 48 });
    try {
      expect((await tall.recognize(fixture("lines.png"))).text).toBe(lines.text);
    } finally {
      await tall.close();
    }
  });

  it("rejects bytes that are not an image", async () => {
    await expect(ocr.recognize(Buffer.from("not an image"))).rejects.toBeInstanceOf(ImageDecodeError);
  });
});

describe("soda ocr", () => {
  it("writes a JSONL page with words, boxed annotations and a redacted copy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-ocr-cli-"));
    const tsv = join(dir, "drugs.tsv");
    writeFileSync(tsv, "D001241\taspirin\nD008687\tmetformin\n");
    const out = join(dir, "pages.jsonl");
    const logs: string[] = [];
    const code = await ocrCommand(
      [
        fixture("lines.png"),
        fixture("img.hocr"),
        "--output",
        out,
        "--tsv",
        tsv,
        "--redact",
        join(dir, "red"),
        "--threads",
        "2",
        "--models",
        "v4",
      ],
      (l) => logs.push(l),
    );
    expect(code, logs.join("\n")).toBe(0);
    expect(logs[0]).toMatch(/^soda ocr: models v4 \(@gutenye\/ocr-models; crops 1 wide, 36 px high\)$/);
    const pages = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(pages).toHaveLength(2);
    expect(pages[0].words[0]).toMatchObject({ text: "Patients", begin: 0, end: 8 });
    expect(pages[0].annotations.map((a: { coveredText: string }) => a.coveredText)).toEqual([
      "Aspirin",
      "metformin",
    ]);
    for (const a of pages[0].annotations) {
      expect(a.boxes).toHaveLength(1);
      expect(await darkFraction(join(dir, "red", "lines.png"), a.boxes[0])).toBeGreaterThan(0.99);
    }
    expect(pages[1].text.startsWith("Hundreds of companies")).toBe(true);
    expect(pages[1].annotations).toEqual([]);
  }, 60_000);

  it("exits 2 on a usage mistake", async () => {
    const logs: string[] = [];
    expect(await ocrCommand(["--output", "x.jsonl"], (l) => logs.push(l))).toBe(2);
    expect(logs.join("\n")).toContain("usage: soda ocr");
  });
});
