/**
 * Lucene's `EnglishPossessiveFilter`: removes a trailing possessive `'s` from a word.
 *
 * Exactly Lucene's rule (checked against Lucene 9.12): when the word has at least 2 characters, its
 * second-to-last character is an apostrophe — `'` (U+0027), `’` (U+2019 RIGHT SINGLE QUOTATION MARK) or `＇`
 * (U+FF07 FULLWIDTH APOSTROPHE) — and its last character is `s` or `S`, the last two characters are
 * removed. Nothing else is touched:
 * - `‘s` (U+2018 LEFT SINGLE QUOTATION MARK) is NOT stripped, nor `ʼs` (U+02BC), nor `´s`;
 * - plural possessives `s'` (`"dogs'"`) keep their apostrophe;
 * - only one `'s` is removed (`"x's's"` → `"x's"`), and `"'s"` alone becomes `""`.
 *
 * In Lucene's `EnglishAnalyzer` this runs right after tokenization, before lowercasing and before ASCII
 * folding, which is why it accepts both `s` and `S` and the typographic apostrophes itself.
 *
 * Cost: O(1) checks; allocates only when it strips (one `slice`).
 */
export function removePossessive(word: string): string {
  const n = word.length;
  if (n < 2) return word;
  const last = word.charCodeAt(n - 1);
  if (last !== 0x73 /* s */ && last !== 0x53 /* S */) return word;
  const apostrophe = word.charCodeAt(n - 2);
  if (apostrophe !== 0x27 && apostrophe !== 0x2019 && apostrophe !== 0xff07) return word;
  return word.slice(0, n - 2);
}
