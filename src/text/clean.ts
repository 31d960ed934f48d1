import { decodeHTMLStrict, decodeXMLStrict } from "entities";
import { hocrToText } from "../ocr/hocr.js";
import { BLOCK_CHAR } from "./char-class.js";

/** How the text of a request is to be read before tagging. */
export const TEXT_FORMATS = ["text", "ocr", "html", "xml", "hocr"] as const;
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
 * - `hocr`: the words of an hOCR page (Tesseract's output), lines joined by line breaks, offsets
 *   mapped into the markup (see `src/ocr/hocr.ts`).
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
    case "hocr": {
      // The words of an hOCR page (Tesseract's output) in reading order, mapped back into the markup.
      const page = hocrToText(raw);
      return { text: page.text, from: page.from, to: page.to };
    }
  }
}

// A word broken at a line end: letter (or a combining mark on one), hyphen, optional spaces, a line
// break, optional spaces, lower-case letter.
const HYPHEN_BREAK = /(?<=[\p{L}\p{M}])[-\u2010\u00ad][ \t]*\r?\n[ \t]*(?=\p{Ll})/gu;
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

/** A character reference: named, decimal or hexadecimal (sticky: matched at `lastIndex` only). */
const CHAR_REF = /&(?:[A-Za-z][A-Za-z0-9]{0,40}|#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8});/y;
/** The start of a start or end tag and its name (sticky). */
const TAG_NAME = /<\/?([A-Za-z][\w:.-]*)/y;
/** The end tag of each raw-text element whose content is skipped. */
const HTML_SKIP_END: Record<string, RegExp> = Object.fromEntries(
  [...HTML_SKIP_CONTENT].map((t) => [t, new RegExp(`</${t}(?=[\\s/>])`, "gi")]),
);

function cleanMarkup(raw: string, html: boolean): CleanedText {
  const out = new MappedBuilder();
  const n = raw.length;
  let i = 0;
  let textStart = 0;
  let nextGt = 0;
  // Next '"' and "'" at or after some position, looked up lazily (-1: none left), so that a quote never
  // closed costs one scan in all, not one per tag.
  const nextQuote = [0, 0];
  const quoteAfter = (q: number, k: number): number => {
    const slot = q === 0x22 ? 0 : 1;
    let at = nextQuote[slot];
    if (at >= 0 && at < k) nextQuote[slot] = at = raw.indexOf(q === 0x22 ? '"' : "'", k);
    return at;
  };
  /**
   * Index of the ">" that ends the tag whose attributes start at `p`: the first one outside a quoted
   * attribute value. `gt` is the first ">" after `p`, the answer when a quote is never closed.
   */
  const tagEnd = (p: number, gt: number): number => {
    let eq = false;
    let end = gt;
    for (let k = p; k < end; k++) {
      const c = raw.charCodeAt(k);
      if (c === 0x3d /* = */) {
        eq = true;
      } else if (eq && (c === 0x22 || c === 0x27)) {
        const close = quoteAfter(c, k + 1);
        if (close < 0) return gt;
        if (close >= end) {
          end = raw.indexOf(">", close + 1);
          if (end < 0) return gt;
        }
        k = close;
        eq = false;
      } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        eq = false;
      }
    }
    return end;
  };
  const flushText = (end: number) => {
    let p = textStart;
    while (p < end) {
      const amp = raw.indexOf("&", p);
      if (amp < 0 || amp >= end) {
        out.copy(raw, p, end);
        break;
      }
      out.copy(raw, p, amp);
      // Only a well-formed reference right at the "&" ("R&D &amp; Co" must not decode "&D &amp;" as one
      // piece, which would map the "D" onto the whole span).
      CHAR_REF.lastIndex = amp;
      const m = CHAR_REF.exec(raw);
      if (m !== null && amp + m[0].length <= end) {
        const semi = amp + m[0].length - 1;
        const ref = m[0];
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
    // The next ">" is looked up once per position reached, so many bare "<" cost O(n) in all.
    if (nextGt >= 0 && nextGt <= lt) nextGt = raw.indexOf(">", lt + 1);
    const gt = nextGt;
    TAG_NAME.lastIndex = lt;
    const name = TAG_NAME.exec(raw);
    const isTag = gt > lt && (name !== null || raw[lt + 1] === "!" || raw[lt + 1] === "?");
    if (!isTag) {
      // A bare "<" in text (as in "p < 0.05"): keep it as text.
      i = lt + 1;
      continue;
    }
    flushText(lt);
    // An element's tag ends at the first ">" outside a quoted attribute value (title="a > b").
    let end = (name !== null ? tagEnd(lt + name[0].length, gt) : gt) + 1;
    const tag = name ? name[1].toLowerCase() : "";
    const closing = raw[lt + 1] === "/";
    if (html && !closing && HTML_SKIP_CONTENT.has(tag)) {
      // Raw-text content runs to the matching end tag (case-insensitively), or to the end of the input.
      const re = HTML_SKIP_END[tag];
      re.lastIndex = end;
      const close = re.exec(raw);
      const closeEnd = close === null ? -1 : raw.indexOf(">", close.index);
      end = closeEnd < 0 ? n : closeEnd + 1;
    }
    const block = name !== null && (html ? HTML_BLOCKS.has(tag) : !XML_INLINE.has(tag.replace(/^.*:/, "")));
    if (block) out.add(BLOCK_CHAR, lt, end);
    i = textStart = end;
  }
  flushText(n);
  return out.build();
}
