import { foldToAscii } from "../text/ascii-fold.js";
import { porterStem } from "../text/porter.js";
import { isStopWord } from "../text/stop-words.js";

/** The modes that look a phrase up by a normalized key (the chunk modes but `fuzzy`, and reverse lookup). */
export const KEY_MODES = ["punct", "sort", "stem", "lsort", "s3sort"] as const;
export type KeyMode = (typeof KEY_MODES)[number];

const WORD_SPLIT = /[^a-z0-9\p{L}\p{N}]+/u;
const POSSESSIVE = /['\u2019\uff07]s\b/g;

/**
 * The words of a phrase as the chunk modes see it: possessive `'s` removed, lower case, accents folded
 * to ASCII, every run of punctuation or space a separator ("beta-catenin" → beta, catenin).
 */
export function phraseWords(phrase: string): string[] {
  const s = foldToAscii(phrase.replace(POSSESSIVE, "").toLowerCase());
  const out: string[] = [];
  for (const w of s.split(WORD_SPLIT)) if (w.length > 0) out.push(w);
  return out;
}

const stemMemo = new Map<string, string>();
function stem(w: string): string {
  let s = stemMemo.get(w);
  if (s === undefined) {
    if (stemMemo.size > 200_000) stemMemo.clear();
    s = porterStem(w);
    stemMemo.set(w, s);
  }
  return s;
}

/**
 * The lookup key of a phrase in a key mode, or null when nothing is left:
 * - `punct`: words joined by one space;
 * - `sort`: `punct` without stop words, sorted;
 * - `stem`, `s3sort`: `sort` with each word Porter-stemmed, then sorted;
 * - `lsort`: `punct` sorted (stop words kept).
 * The same function normalizes dictionary names and text, so they meet.
 */
export function phraseKey(phrase: string, mode: KeyMode): string | null {
  return wordsKey(phraseWords(phrase), mode);
}

/** {@link phraseKey} from words already split by {@link phraseWords}. */
export function wordsKey(words: readonly string[], mode: KeyMode): string | null {
  let w: string[];
  switch (mode) {
    case "punct":
      w = words.slice();
      break;
    case "lsort":
      w = words.slice().sort();
      break;
    case "sort":
      w = words.filter((x) => !isStopWord(x)).sort();
      break;
    case "stem":
    case "s3sort":
      w = words
        .filter((x) => !isStopWord(x))
        .map(stem)
        .sort();
      break;
  }
  return w.length === 0 ? null : w.join(" ");
}
