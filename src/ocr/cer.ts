import { editDistance } from "../fst/levenshtein.js";

/** Whitespace-normalized text: runs of whitespace become one space, ends trimmed. */
export function normalizeWhitespace(s: string): string {
  return s.replace(/\s+/gu, " ").trim();
}

/**
 * Character error rate of `hypothesis` against `reference`: edit distance over characters divided by
 * the reference's length, both whitespace-normalized ({@link normalizeWhitespace}).
 */
export function cer(reference: string, hypothesis: string): number {
  const r = normalizeWhitespace(reference);
  const h = normalizeWhitespace(hypothesis);
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : editDistance(r, h) / [...r].length;
}
