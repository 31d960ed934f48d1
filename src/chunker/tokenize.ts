/**
 * Sentences and tokens with exact UTF-16 offsets, for the part-of-speech tagger and the chunker.
 *
 * A word token is a run of letters, digits and combining marks, with an apostrophe, hyphen or period
 * kept between two word characters ("don't", "IL-2", "3.5", "beta-catenin"); every other visible
 * character is a punctuation token of its own. Offsets index the text as given (`end` exclusive), so
 * surrogate pairs never shift them.
 */
export interface Token {
  text: string;
  begin: number;
  end: number;
}

/** A sentence: its tokens and the character span they cover. */
export interface Sentence {
  begin: number;
  end: number;
  tokens: Token[];
}

const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u002d\u2010\u2011.][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

/** The tokens of `text`, in order. O(text length). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text))
    out.push({ text: m[0], begin: m.index, end: m.index + m[0].length });
  return out;
}

/** Abbreviations after which a period does not end a sentence (lower-cased, without the period). */
const ABBREVIATIONS = new Set([
  "dr",
  "mr",
  "mrs",
  "ms",
  "prof",
  "st",
  "fig",
  "figs",
  "e.g",
  "i.e",
  "al",
  "vs",
  "cf",
  "no",
  "vol",
  "approx",
  "ca",
  "inc",
  "ltd",
  "co",
  "jr",
  "sr",
  "u.s",
  "etc",
  "resp",
  "eq",
  "ref",
  "refs",
]);

const CLOSERS = new Set([")", "]", "}", '"', "'", "\u201d", "\u2019"]);

/**
 * Splits `text` into sentences: after `.`, `!` or `?` (and any closing quotes or brackets) when the next
 * token starts with an upper-case letter, a digit or an opening quote, unless the period follows a known
 * abbreviation or a single letter; and at blank lines. O(text length).
 */
export function sentences(text: string): Sentence[] {
  const tokens = tokenize(text);
  const out: Sentence[] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length > 0) out.push({ begin: cur[0].begin, end: cur[cur.length - 1].end, tokens: cur });
    cur = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (cur.length > 0 && /\n[ \t\r\f\v]*\n/.test(text.slice(cur[cur.length - 1].end, t.begin))) flush();
    cur.push(t);
    const p = t.text;
    if (p !== "." && p !== "!" && p !== "?") continue;
    // Swallow closing punctuation that belongs to this sentence.
    while (
      i + 1 < tokens.length &&
      CLOSERS.has(tokens[i + 1].text) &&
      tokens[i + 1].begin === cur[cur.length - 1].end
    )
      cur.push(tokens[++i]);
    const next = tokens[i + 1];
    if (next === undefined) break;
    if (p === ".") {
      const prev = cur.length >= 2 ? cur[cur.length - 2] : undefined;
      if (prev !== undefined && prev.end === t.begin) {
        const w = prev.text.toLowerCase();
        if (ABBREVIATIONS.has(w) || (w.length === 1 && /\p{L}/u.test(w))) continue;
      }
    }
    if (/^[\p{Lu}\p{N}"'\u201c\u2018([]/u.test(next.text)) flush();
  }
  flush();
  return out;
}
