/** An axis-aligned rectangle in page pixels: left, top, width, height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A recognized word: its text, box, confidence in [0, 1] and UTF-16 offsets `[begin, end)` in the page text. */
export interface OcrWord {
  text: string;
  box: Box;
  confidence: number;
  begin: number;
  end: number;
  /** Index of the word's line in {@link OcrPage.lines}. */
  line: number;
}

/** A text line, in reading order; `begin`/`end` are offsets in the page text. */
export interface OcrLine {
  text: string;
  box: Box;
  confidence: number;
  begin: number;
  end: number;
}

/**
 * A page: its size in pixels, its text (lines joined by "\n"), lines and words in reading order. Every
 * word's `text` is `page.text.slice(word.begin, word.end)`.
 */
export interface OcrPage {
  width: number;
  height: number;
  text: string;
  lines: OcrLine[];
  words: OcrWord[];
}

/** The smallest box containing all of `boxes` (which must not be empty). */
export function unionBox(boxes: readonly Box[]): Box {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
