/**
 * Character classes for tokenization, precomputed for the Basic Multilingual Plane into one 64 KiB
 * table (about 10 ms at start-up), so the tokenizer classifies a UTF-16 unit with one array read.
 */

/** Not part of a token: spaces, punctuation, symbols. */
export const SEP = 0;
/** A Unicode letter or digit (`\p{L}`, `\p{N}`): starts or continues a token. */
export const WORD = 1;
/** A combining mark (`\p{M}`): continues a token, never starts one. */
export const MARK = 2;
/** An apostrophe (' or ’): part of a token only between two word characters ("Crohn's", "O'Brien"). */
export const APOS = 3;
/** U+2029 PARAGRAPH SEPARATOR: a hard boundary no match may cross (markup clean-up emits it for blocks). */
export const BLOCK = 4;
/** A UTF-16 surrogate: classify the whole code point with {@link classifyCodePoint}. */
export const SURROGATE = 5;

/** The hard-boundary character the clean-up inserts between blocks. */
export const BLOCK_CHAR = "\u2029";

const WORD_RE = /[\p{L}\p{N}]/u;
const MARK_RE = /\p{M}/u;

/** Class of a code point (any plane). Allocates a string: use the table for the BMP. */
export function classifyCodePoint(cp: number): number {
  const c = String.fromCodePoint(cp);
  if (WORD_RE.test(c)) return WORD;
  if (MARK_RE.test(c)) return MARK;
  return SEP;
}

/** Class of every UTF-16 code unit. */
export const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) t[c] = SURROGATE;
    else if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) t[c] = WORD;
    else if (c < 0x80) t[c] = SEP;
    else t[c] = classifyCodePoint(c);
  }
  t[0x27] = APOS;
  t[0x2019] = APOS;
  t[0x2029] = BLOCK;
  return t;
})();
