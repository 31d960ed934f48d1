import { decodeHTMLStrict } from "entities";
import { type Box, type OcrLine, type OcrPage, type OcrWord, unionBox } from "./types.js";

/**
 * hOCR (Tesseract's `hocr` output, and other engines') read as an {@link OcrPage}, plus the way back to
 * the markup: character `i` of `text` came from `html.slice(from[i], to[i])` (the same convention as
 * the engine's `CleanedText`, so an annotation over text `[b, e)` covers html `[from[b], to[e − 1])`).
 */
export interface HocrText extends OcrPage {
  from: Int32Array;
  to: Int32Array;
}

/** Classes of hOCR elements that are lines of text. */
const LINE_CLASSES = new Set(["ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"]);
/** HTML elements without an end tag. */
const VOID = new Set(["br", "meta", "img", "hr", "link", "input", "area", "base", "col", "wbr", "source"]);
const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/y;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const CHAR_REF = /&(?:[A-Za-z][A-Za-z0-9]{0,40}|#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8});/y;

interface Element {
  name: string;
  classes: string[];
  title: string;
}

/** The properties of an hOCR `title`: `bbox 1 2 3 4; x_wconf 96` → {bbox: "1 2 3 4", x_wconf: "96"}. */
function titleProps(title: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const part of title.split(";")) {
    const m = /^\s*(\S+)\s*(.*?)\s*$/.exec(part);
    if (m) props.set(m[1], m[2]);
  }
  return props;
}

function bboxOf(title: string): Box | undefined {
  const b = titleProps(title).get("bbox");
  if (!b) return undefined;
  const n = b.split(/\s+/).map(Number);
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v))) return undefined;
  return { x: n[0], y: n[1], w: n[2] - n[0], h: n[3] - n[1] };
}

/** A run of text read from the markup: its characters and, per UTF-16 unit, the html range it came from. */
interface Run {
  chars: string[];
  from: number[];
  to: number[];
}

/**
 * Reads hOCR: words (`ocrx_word`, with `bbox x0 y0 x1 y1` and `x_wconf` 0–100), lines (`ocr_line`,
 * `ocr_header`, `ocr_caption`, `ocr_textfloat`), paragraphs (`ocr_par`) and the page size (`ocr_page`'s
 * bbox; with several pages, the first). Text: a line's words joined by a space, lines by "\n", paragraphs
 * by a blank line. A line without word elements is split on whitespace, its box apportioned by
 * characters. Tolerant of HTML as well as XHTML; character references decoded. O(html length).
 */
export function hocrToText(html: string): HocrText {
  const stack: Element[] = [];
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  let width = 0;
  let height = 0;
  let text = "";
  const from: number[] = [];
  const to: number[] = [];
  let lastRaw = 0;
  // The word and line being read.
  let word: { run: Run; box: Box | undefined; conf: number; depth: number } | undefined;
  let line: { box: Box | undefined; depth: number; words: OcrWord[]; loose: Run } | undefined;
  let paragraphBreak = false;

  const append = (s: string, a: number, b: number) => {
    text += s;
    for (let i = 0; i < s.length; i++) {
      from.push(a);
      to.push(b);
    }
  };
  const separate = () => {
    const inLine = line !== undefined && line.words.length > 0;
    if (text.length > 0) {
      if (inLine) append(" ", lastRaw, lastRaw);
      else append(paragraphBreak ? "\n\n" : "\n", lastRaw, lastRaw);
    }
    if (!inLine) paragraphBreak = false;
  };
  const emitWord = (run: Run, box: Box, conf: number) => {
    // Whitespace inside a word element: collapse to single spaces, trim.
    let s = "";
    const f: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < run.chars.length; i++) {
      const ws = /\s/.test(run.chars[i]);
      if (ws && (s.length === 0 || s.endsWith(" "))) continue;
      const ch = ws ? " " : run.chars[i];
      s += ch;
      for (let u = 0; u < ch.length; u++) {
        f.push(run.from[i]);
        t.push(run.to[i]);
      }
    }
    while (s.endsWith(" ")) {
      s = s.slice(0, -1);
      f.pop();
      t.pop();
    }
    if (s.length === 0) return;
    if (!line) line = { box: undefined, depth: -1, words: [], loose: { chars: [], from: [], to: [] } };
    separate();
    const begin = text.length;
    text += s;
    from.push(...f);
    to.push(...t);
    lastRaw = t[t.length - 1];
    const w: OcrWord = { text: s, box, confidence: conf, begin, end: text.length, line: lines.length };
    words.push(w);
    line.words.push(w);
  };
  const closeLine = () => {
    if (!line) return;
    if (line.words.length === 0 && line.loose.chars.length > 0 && line.box) {
      // No word elements: split the line's text on whitespace and apportion its box by characters.
      const r = line.loose;
      const n = r.chars.length;
      let i = 0;
      while (i < n) {
        if (/\s/.test(r.chars[i])) {
          i++;
          continue;
        }
        let j = i;
        while (j < n && !/\s/.test(r.chars[j])) j++;
        const b = line.box;
        const box = {
          x: Math.round(b.x + (b.w * i) / n),
          y: b.y,
          w: Math.round((b.w * (j - i)) / n),
          h: b.h,
        };
        emitWord({ chars: r.chars.slice(i, j), from: r.from.slice(i, j), to: r.to.slice(i, j) }, box, 1);
        i = j;
      }
    }
    if (line.words.length > 0) {
      const first = line.words[0];
      const last = line.words[line.words.length - 1];
      const conf = line.words.reduce((a, w) => a + w.confidence, 0) / line.words.length;
      lines.push({
        text: text.slice(first.begin, last.end),
        box: line.box ?? unionBox(line.words.map((w) => w.box)),
        confidence: Math.round(conf * 1e4) / 1e4,
        begin: first.begin,
        end: last.end,
      });
    }
    line = undefined;
  };
  const addText = (s: string, a: number, b: number) => {
    const target = word ? word.run : line ? line.loose : undefined;
    if (!target) return;
    target.chars.push(s);
    target.from.push(a);
    target.to.push(b);
  };

  let i = 0;
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (c === 0x3c /* < */) {
      if (html.startsWith("<!--", i)) {
        const e = html.indexOf("-->", i + 4);
        i = e < 0 ? html.length : e + 3;
        continue;
      }
      if (html.startsWith("<!", i) || html.startsWith("<?", i)) {
        const e = html.indexOf(">", i);
        i = e < 0 ? html.length : e + 1;
        continue;
      }
      TAG.lastIndex = i;
      const m = TAG.exec(html);
      if (m) {
        i = TAG.lastIndex;
        const name = m[2].toLowerCase();
        if (m[1] === "/") {
          // Close up to the matching element (HTML may leave some open).
          let k = stack.length - 1;
          while (k >= 0 && stack[k].name !== name) k--;
          if (k < 0) continue;
          while (stack.length > k) {
            const el = stack.pop()!;
            const depth = stack.length;
            if (word && word.depth === depth) {
              const w = word;
              word = undefined;
              if (w.box) emitWord(w.run, w.box, w.conf);
            }
            if (line && line.depth === depth) closeLine();
            if (el.classes.includes("ocr_par")) paragraphBreak = true;
          }
          continue;
        }
        const attrs = new Map<string, string>();
        for (const a of m[3].matchAll(ATTR))
          attrs.set(a[1].toLowerCase(), decodeHTMLStrict(a[2] ?? a[3] ?? a[4] ?? ""));
        const el: Element = {
          name,
          classes: (attrs.get("class") ?? "").split(/\s+/).filter(Boolean),
          title: attrs.get("title") ?? "",
        };
        if (el.classes.includes("ocr_page") && width === 0) {
          const b = bboxOf(el.title);
          if (b) {
            width = b.x + b.w;
            height = b.y + b.h;
          }
        }
        if (el.classes.includes("ocr_par") || el.classes.includes("ocr_carea")) paragraphBreak = true;
        const selfClosing = m[4] === "/" || VOID.has(name);
        if (selfClosing) {
          if (name === "br") addText(" ", i, i);
          continue;
        }
        const depth = stack.length;
        if (el.classes.some((k) => LINE_CLASSES.has(k))) {
          closeLine();
          line = { box: bboxOf(el.title), depth, words: [], loose: { chars: [], from: [], to: [] } };
        }
        if (el.classes.includes("ocrx_word") && !word) {
          const conf = Number(titleProps(el.title).get("x_wconf"));
          word = {
            run: { chars: [], from: [], to: [] },
            box: bboxOf(el.title),
            conf: Number.isFinite(conf) ? Math.round(conf * 100) / 1e4 : 1,
            depth,
          };
        }
        stack.push(el);
        continue;
      }
    }
    if (c === 0x26 /* & */) {
      CHAR_REF.lastIndex = i;
      if (CHAR_REF.test(html)) {
        const ref = html.slice(i, CHAR_REF.lastIndex);
        const decoded = decodeHTMLStrict(ref);
        for (const ch of decoded) addText(ch, i, CHAR_REF.lastIndex);
        i = CHAR_REF.lastIndex;
        continue;
      }
    }
    const cp = html.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    addText(html.slice(i, i + n), i, i + n);
    i += n;
  }
  closeLine();
  if (width === 0 && words.length > 0) {
    const u = unionBox(words.map((w) => w.box));
    width = u.x + u.w;
    height = u.y + u.h;
  }
  return { width, height, text, lines, words, from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** hOCR as an {@link OcrPage} (without the offset maps). */
export function parseHocr(html: string): OcrPage {
  const { width, height, text, lines, words } = hocrToText(html);
  return { width, height, text, lines, words };
}
