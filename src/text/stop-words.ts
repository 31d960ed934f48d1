/**
 * Lucene's English stop words: `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET` (checked against Lucene 9.12; older
 * Lucene/Solr versions have the same list as `StopAnalyzer.ENGLISH_STOP_WORDS_SET`), exactly these 33
 * lowercase words. SoDA's Solr analyzers used it through `StopFilterFactory`.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "but",
  "by",
  "for",
  "if",
  "in",
  "into",
  "is",
  "it",
  "no",
  "not",
  "of",
  "on",
  "or",
  "such",
  "that",
  "the",
  "their",
  "then",
  "there",
  "these",
  "they",
  "this",
  "to",
  "was",
  "will",
  "with",
]);

/**
 * True when `lowercasedWord` is one of {@link ENGLISH_STOP_WORDS}. The lookup is case-sensitive, as
 * Lucene's `StopFilter` is after `LowerCaseFilter`: lowercase first (`"The"` is not a stop word, `"the"`
 * is). Cost: one hash-set lookup, no allocation.
 */
export function isStopWord(lowercasedWord: string): boolean {
  return ENGLISH_STOP_WORDS.has(lowercasedWord);
}
