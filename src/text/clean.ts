import { decodeHTMLStrict, decodeXMLStrict } from "entities";
import { BLOCK_CHAR } from "./char-class.js";

/** How the text of a request is to be read before tagging. */
export const TEXT_FORMATS = ["text", "ocr", "html", "xml"] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/** Whether `f` names a text format (a type guard for input validation). */
export function isTextFormat(f: unknown): f is TextFormat {
  return typeof f === "string" && (TEXT_FORMATS as readonly string[]).includes(f);
}

/**
 * Text after clean-up, with the way back: cleaned character `i` came from `raw.slice(from[i], to[i])`.
 * An annotation over cleaned `[b, e)` covers raw `[from[b], to[e - 1])`. Identity maps are `null`.
 */
export interface CleanedText {
  text: string;
  from: Int32Array | null;
  to: Int32Array | null;
}

/** Builds a cleaned string and its offset maps one piece at a time. */
class MappedBuilder {
  private parts: string[] = [];
  private from: number[] = [];
  private to: number[] = [];

  /** Appends `s`, every character of which stands for `raw[a, b)`. */
  add(s: string, a: number, b: number): void {
    this.parts.push(s);
    for (let i = 0; i < s.length; i++) {
      this.from.push(a);
      this.to.push(b);
    }
  }

  /** Appends `raw[a, b)` unchanged, character for character. */
  copy(raw: string, a: number, b: number): void {
    if (b <= a) return;
    this.parts.push(raw.slice(a, b));
    for (let i = a; i < b; i++) {
      this.from.push(i);
      this.to.push(i + 1);
    }
  }

  build(): CleanedText {
    return { text: this.parts.join(""), from: Int32Array.from(this.from), to: Int32Array.from(this.to) };
  }
}

/**
 * Cleans `raw` for tagging according to `format`, keeping an offset map into `raw`:
 * - `text`: untouched.
 * - `ocr`: words hyphenated across a line end are joined ("myelo-\ndysplastic" → "myelodysplastic"),
 *   soft hyphens dropped, compatibility characters normalized (NFKC: ligatures "ﬁ" → "fi", full-width
 *   forms). Line breaks and runs of spaces need nothing: the tokenizer treats any whitespace as one gap.
 * - `html`, `xml`: tags, comments, processing instructions and (HTML) script and style content skipped;
 *   character references decoded; a block boundary ({@link BLOCK_CHAR}) emitted for block-level elements
 *   (HTML: p, div, li, td, headings, br, …; XML: every element not in a list of inline ones such as
 *   italic, bold, sup, sub, xref), so that no match crosses a paragraph or a table cell.
 * Cost: O(raw length); a plain-ASCII `ocr` text without hyphens is returned as is.
 */
export function cleanText(raw: string, format: TextFormat): CleanedText {
  switch (format) {
    case "text":
      return { text: raw, from: null, to: null };
    case "ocr":
      return cleanOcr(raw);
    case "html":
      return cleanMarkup(raw, true);
    case "xml":
      return cleanMarkup(raw, false);
  }
}

// A word broken at a line end: letter, hyphen, optional spaces, a line break, optional spaces, lower-case letter.
const HYPHEN_BREAK = /(?<=\p{L})[-\u2010\u00ad][ \t]*\r?\n[ \t]*(?=\p{Ll})/gu;
const NEEDS_OCR = /[\u0080-\uffff]|-[ \t]*\r?\n/;

function cleanOcr(raw: string): CleanedText {
  if (!NEEDS_OCR.test(raw)) return { text: raw, from: null, to: null };
  const out = new MappedBuilder();
  let last = 0;
  const emitPlain = (a: number, b: number) => {
    let i = a;
    while (i < b) {
      const c = raw.charCodeAt(i);
      if (c < 0x80) {
        let j = i + 1;
        while (j < b && raw.charCodeAt(j) < 0x80) j++;
        out.copy(raw, i, j);
        i = j;
        continue;
      }
      const cp = raw.codePointAt(i)!;
      const w = cp > 0xffff ? 2 : 1;
      if (c !== 0xad) {
        const ch = raw.slice(i, i + w);
        const n = ch.normalize("NFKC");
        if (n === ch) out.copy(raw, i, i + w);
        else out.add(n, i, i + w);
      }
      i += w;
    }
  };
  for (const m of raw.matchAll(HYPHEN_BREAK)) {
    emitPlain(last, m.index);
    last = m.index + m[0].length;
  }
  emitPlain(last, raw.length);
  return out.build();
}

const HTML_BLOCKS = new Set(
  (
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure " +
    "footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody td " +
    "tfoot th thead title tr ul option select textarea"
  ).split(" "),
);
const HTML_SKIP_CONTENT = new Set(["script", "style", "template", "noscript"]);
const XML_INLINE = new Set(
  (
    "b i u em strong italic bold sup sub sc underline overline monospace roman sans-serif small-caps span " +
    "named-content styled-content xref ext-link uri email inline-formula abbrev emphasis phrase link a font " +
    "tt strike ruby"
  ).split(" "),
);

function cleanMarkup(raw: string, html: boolean): CleanedText {
  const out = new MappedBuilder();
  const n = raw.length;
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    let p = textStart;
    while (p < end) {
      const amp = raw.indexOf("&", p);
      if (amp < 0 || amp >= end) {
        out.copy(raw, p, end);
        break;
      }
      out.copy(raw, p, amp);
      const semi = raw.indexOf(";", amp);
      if (semi > amp && semi < end && semi - amp <= 32) {
        const ref = raw.slice(amp, semi + 1);
        const dec = html ? decodeHTMLStrict(ref) : decodeXMLStrict(ref);
        if (dec !== ref) {
          out.add(dec, amp, semi + 1);
          p = semi + 1;
          continue;
        }
      }
      out.copy(raw, amp, amp + 1);
      p = amp + 1;
    }
  };
  while (i < n) {
    const lt = raw.indexOf("<", i);
    if (lt < 0) break;
    if (raw.startsWith("<!--", lt)) {
      flushText(lt);
      const close = raw.indexOf("-->", lt + 4);
      i = textStart = close < 0 ? n : close + 3;
      continue;
    }
    if (raw.startsWith("<![CDATA[", lt)) {
      flushText(lt);
      const close = raw.indexOf("]]>", lt + 9);
      const end = close < 0 ? n : close;
      out.copy(raw, lt + 9, end);
      i = textStart = close < 0 ? n : close + 3;
      continue;
    }
    const gt = raw.indexOf(">", lt + 1);
    const name = /^<\/?([A-Za-z][\w:.-]*)/.exec(raw.slice(lt, Math.min(n, lt + 64)));
    const isTag = gt > lt && (name !== null || raw[lt + 1] === "!" || raw[lt + 1] === "?");
    if (!isTag) {
      // A bare "<" in text (as in "p < 0.05"): keep it as text.
      i = lt + 1;
      continue;
    }
    flushText(lt);
    let end = gt + 1;
    const tag = name ? name[1].toLowerCase() : "";
    const closing = raw[lt + 1] === "/";
    if (html && !closing && HTML_SKIP_CONTENT.has(tag)) {
      const close = raw.toLowerCase().indexOf(`</${tag}`, end);
      const closeEnd = close < 0 ? n : raw.indexOf(">", close);
      end = closeEnd < 0 ? n : closeEnd + 1;
    }
    const block = name !== null && (html ? HTML_BLOCKS.has(tag) : !XML_INLINE.has(tag.replace(/^.*:/, "")));
    if (block) out.add(BLOCK_CHAR, lt, end);
    i = textStart = end;
  }
  flushText(n);
  return out.build();
}
