import type { Annotation, Annotator } from "../annotate/annotator.js";
import type { TagLexicon } from "../annotate/segment.js";
import type { StreamingMode } from "../text/modes.js";
import { type Box, type OcrPage, unionBox } from "./types.js";

/**
 * The boxes of the text `[begin, end)` of `page.text`: one per line the span touches, the union of the
 * boxes of the words it overlaps (whole words: a mention inside a word gets the word's box, which
 * errs on the side of covering). Empty when no word overlaps. O(words).
 */
export function boxesForSpan(page: Pick<OcrPage, "words">, begin: number, end: number): Box[] {
  const byLine = new Map<number, Box[]>();
  for (const w of page.words) {
    if (w.end <= begin || w.begin >= end) continue;
    const list = byLine.get(w.line);
    if (list) list.push(w.box);
    else byLine.set(w.line, [w.box]);
  }
  return [...byLine.keys()].sort((a, b) => a - b).map((line) => unionBox(byLine.get(line)!));
}

/** An annotation of an OCR page, with the boxes of its mention on the page. */
export interface BoxedAnnotation extends Annotation {
  boxes: Box[];
}

/** Adds to each annotation (offsets into `page.text`) the boxes of its mention. */
export function withBoxes<A extends { begin: number; end: number }>(
  page: Pick<OcrPage, "words">,
  annotations: readonly A[],
): (A & { boxes: Box[] })[] {
  return annotations.map((a) => ({ ...a, boxes: boxesForSpan(page, a.begin, a.end) }));
}

/** Annotates the text of an OCR page in-process (format `ocr`: broken hyphenation joined) and boxes each mention. */
export function annotatePage(
  annotator: Annotator,
  page: OcrPage,
  lexicons: readonly TagLexicon[],
  matching: StreamingMode,
): BoxedAnnotation[] {
  return withBoxes(page, annotator.annotate(page.text, lexicons, { matching, format: "ocr" }));
}
