import { createRequire } from "node:module";

// natural's index costs about 1 s and 160 MB and reads a .env file (stack.md): load the tagger alone.
const require = createRequire(import.meta.url);

interface NaturalSentence {
  taggedWords: { token: string; tag: string }[];
}
interface NaturalTagger {
  tag(words: string[]): NaturalSentence;
}
interface BrillModule {
  BrillPOSTagger: new (lexicon: unknown, rules: unknown) => NaturalTagger;
  Lexicon: new (lang: string, defaultCategory: string, defaultCategoryCapitalised?: string) => unknown;
  RuleSet: new (lang: string) => unknown;
}

let tagger: NaturalTagger | null = null;

/** natural's Brill tagger with its English lexicon (92,662 words) and transformation rules, loaded once. */
function brill(): NaturalTagger {
  if (tagger === null) {
    const m = require("natural/lib/natural/brill_pos_tagger/index.js") as BrillModule;
    tagger = new m.BrillPOSTagger(new m.Lexicon("EN", "NN", "NNP"), new m.RuleSet("EN"));
  }
  return tagger;
}

/**
 * Penn Treebank tags of `words` (one sentence), by natural's Brill tagger: each word's most frequent tag
 * from the English lexicon (unknown words: `NN`, or `NNP` when capitalised), then the contextual rules.
 * Throughput about 0.5-1M words/s.
 */
export function posTags(words: readonly string[]): string[] {
  if (words.length === 0) return [];
  const tagged = brill().tag(words.slice());
  return tagged.taggedWords.map((w) => w.tag);
}

let known: Set<string> | null = null;

/** The entries of the tagger's English lexicon, as written there (read once per call: cache the result). */
function lexiconEntries(): string[] {
  const lex = require("natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json") as Record<
    string,
    unknown
  >;
  return Object.keys(lex);
}

/** The tagger's English lexicon, lower-cased (loaded on first use; the same set every call). */
export function englishWords(): ReadonlySet<string> {
  if (known === null) {
    known = new Set();
    for (const w of lexiconEntries()) known.add(w.toLowerCase());
  }
  return known;
}

/**
 * Whether `lowerWord` is a word of the tagger's English lexicon (lower-cased forms). The fuzzy matcher
 * uses it as a dictionary of real words: a word OCR left legible is not "corrected".
 */
export function isEnglishWord(lowerWord: string): boolean {
  return (known ?? englishWords()).has(lowerWord);
}

let common: Set<string> | null = null;

/**
 * Whether `lowerWord` is a word of the tagger's English lexicon written in lower case there (54,396
 * of its 92,662 entries): a common word, not only a name ("bird", not "Carr" or "Acton"). For stems,
 * where a name would make OCR garbage parse as a word ("carrer" as Carr + er). O(1) after loading.
 */
export function isCommonEnglishWord(lowerWord: string): boolean {
  if (common === null) {
    common = new Set();
    for (const w of lexiconEntries()) if (w === w.toLowerCase()) common.add(w);
  }
  return common.has(lowerWord);
}
