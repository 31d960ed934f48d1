/**
 * Lucene's `EnglishMinimalStemmer` (the "S-stemmer" from Donna Harman, *How Effective Is Suffixing?*,
 * 1991), which Solr exposes as `EnglishMinimalStemFilterFactory`. It only removes plural endings, and it
 * is case-sensitive: it expects lowercase input (an uppercase `S` is not a plural ending, as in Lucene).
 *
 * The rules, in order (a faithful port of Lucene's `stem(char[], int)`):
 * 1. shorter than 3 characters, or not ending in `s` → unchanged (`"is"`, `"cell"`);
 * 2. ending in `us` or `ss` → unchanged (`"virus"`, `"class"`);
 * 3. ending in `ies`, longer than 3 characters, and not ending in `aies`/`eies` → `ies` becomes `y`
 *    (`"studies"` → `"study"`, and also `"series"` → `"sery"`);
 * 4. otherwise ending in `ies`, `aes`, `oes` or `ees` → unchanged (`"toes"`, `"trees"`, `"ies"`);
 * 5. otherwise the final `s` is removed (`"cells"` → `"cell"`, `"diseases"` → `"disease"`, `"gas"` → `"ga"`).
 */

/**
 * Stems `word` with Lucene's English minimal (plural) stemmer; see the module comment for the exact rules.
 * Input should be lowercased first. Never lengthens the word; the result is a prefix of the input except
 * for the `ies` → `y` rule. Cost: O(1) checks plus at most one `slice`/concatenation.
 */
export function minimalStem(word: string): string {
  const len = word.length;
  if (len < 3 || word.charCodeAt(len - 1) !== 0x73 /* s */) return word;
  switch (word[len - 2]) {
    case "u":
    case "s":
      return word;
    case "e": {
      const c3 = word[len - 3];
      if (len > 3 && c3 === "i") {
        const c4 = word[len - 4];
        if (c4 !== "a" && c4 !== "e") return `${word.slice(0, len - 3)}y`;
      }
      if (c3 === "i" || c3 === "a" || c3 === "o" || c3 === "e") return word;
      return word.slice(0, len - 1);
    }
    default:
      return word.slice(0, len - 1);
  }
}
