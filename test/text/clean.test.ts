import { decodeHTMLStrict, decodeXMLStrict } from "entities";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Annotation, Annotator } from "../../src/annotate/annotator.js";
import { type Entry, Lexicon } from "../../src/annotate/lexicon.js";
import { BLOCK_CHAR } from "../../src/text/char-class.js";
import {
  type CleanedText,
  cleanText,
  isTextFormat,
  TEXT_FORMATS,
  type TextFormat,
} from "../../src/text/clean.js";
import type { StreamingMode } from "../../src/text/modes.js";

const annotator = new Annotator();

/** One lexicon with an entity per name (id = the name). */
const lexiconOf = (names: readonly string[]) =>
  new Lexicon(
    "l",
    names.map((n): Entry => ({ id: n, names: [n] })),
  );

/** Checks the offset contract of every annotation against `raw`, and returns them. */
function checked(raw: string, as: Annotation[]): Annotation[] {
  for (const a of as) {
    expect(a.coveredText).toBe(raw.slice(a.begin, a.end));
    expect(0 <= a.begin && a.begin < a.end && a.end <= raw.length, `${a.begin}..${a.end}`).toBe(true);
  }
  return as;
}

/** Annotates `raw` read as `format` against `names`: [coveredText, begin, end] per annotation. */
function tag(
  raw: string,
  format: TextFormat,
  names: readonly string[],
  matching: StreamingMode = "lower",
): [string, number, number][] {
  const as = checked(raw, annotator.annotate(raw, [lexiconOf(names)], { matching, format }));
  return as.map((a) => [a.coveredText, a.begin, a.end]);
}

/** [piece, begin, end] of the first occurrence of `piece` in `raw` (after `from`). */
function at(raw: string, piece: string, from = 0): [string, number, number] {
  const b = raw.indexOf(piece, from);
  if (b < 0) throw new Error(`${JSON.stringify(piece)} not in ${JSON.stringify(raw)}`);
  return [piece, b, b + piece.length];
}

/** The raw range of cleaned `[b, e)`, the way the annotator maps it. */
function rawRange(c: CleanedText, b: number, e: number): [number, number] {
  return c.from && c.to ? [c.from[b], c.to[e - 1]] : [b, e];
}

const CHAR_REF = /^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);$/;
const OCR_DROPPED = /^(?:\u00ad|[-\u2010\u00ad][ \t]*\r?\n[ \t]*)*$/;

/**
 * Checks everything the maps promise: same length as the text, each in bounds, non-decreasing; and,
 * stronger, that the cleaned text is the raw text cut into disjoint increasing pieces, each either copied
 * one code unit at a time or replaced as a whole (an NFKC form, a decoded reference, a block boundary
 * for a tag), with only what the format may drop between them.
 */
function checkMaps(raw: string, format: TextFormat, c: CleanedText): void {
  if (c.from === null || c.to === null) {
    expect(c.from).toBeNull();
    expect(c.to).toBeNull();
    expect(c.text).toBe(raw);
    return;
  }
  const { text, from, to } = c;
  expect(from.length).toBe(text.length);
  expect(to.length).toBe(text.length);
  for (let i = 0; i < text.length; i++) {
    expect(0 <= from[i] && from[i] < to[i] && to[i] <= raw.length, `map of ${i}`).toBe(true);
    if (i > 0) expect(from[i] >= from[i - 1] && to[i] >= to[i - 1], `monotone at ${i}`).toBe(true);
  }
  const gapOk = (gap: string) =>
    gap === "" || (format === "ocr" ? OCR_DROPPED.test(gap) : gap.startsWith("<") || gap.startsWith("]]>"));
  let prevTo = 0;
  let i = 0;
  while (i < text.length) {
    let j = i + 1;
    while (j < text.length && from[j] === from[i] && to[j] === to[i]) j++;
    const a = from[i];
    const b = to[i];
    expect(a >= prevTo, `pieces overlap at ${i}`).toBe(true);
    const gap = raw.slice(prevTo, a);
    expect(gapOk(gap), `dropped ${JSON.stringify(gap)}`).toBe(true);
    const piece = text.slice(i, j);
    const src = raw.slice(a, b);
    if (piece !== src) {
      if (format === "ocr") {
        expect([...src].length).toBe(1);
        expect(piece).toBe(src.normalize("NFKC"));
      } else if (piece === BLOCK_CHAR && src.startsWith("<")) {
        expect(src.endsWith(">")).toBe(true);
      } else {
        expect(src).toMatch(CHAR_REF);
        expect(piece).toBe(format === "html" ? decodeHTMLStrict(src) : decodeXMLStrict(src));
      }
    }
    prevTo = b;
    i = j;
  }
  expect(gapOk(raw.slice(prevTo)), `dropped tail ${JSON.stringify(raw.slice(prevTo))}`).toBe(true);
}

/** cleanText plus {@link checkMaps}. */
function clean(raw: string, format: TextFormat): CleanedText {
  const c = cleanText(raw, format);
  checkMaps(raw, format, c);
  return c;
}

describe("formats", () => {
  it("lists the formats and validates names", () => {
    expect([...TEXT_FORMATS]).toEqual(["text", "ocr", "html", "xml", "hocr"]);
    for (const f of TEXT_FORMATS) expect(isTextFormat(f)).toBe(true);
    for (const f of ["HTML", "txt", "", null, undefined, 3, {}]) expect(isTextFormat(f)).toBe(false);
  });

  it("text: untouched, identity maps, markup and hyphens kept as they are", () => {
    const raw = "<p>myelo-\ndysplastic &amp; ﬁ\u00ad</p>";
    expect(cleanText(raw, "text")).toEqual({ text: raw, from: null, to: null });
    expect(tag("<p>Crohn</p>", "text", ["p Crohn p"])).toEqual([at("<p>Crohn</p>", "p>Crohn</p")]);
  });

  it("every format handles the empty string", () => {
    for (const f of TEXT_FORMATS) {
      expect(clean("", f).text).toBe("");
      expect(tag("", f, ["x"])).toEqual([]);
    }
  });
});

describe("ocr", () => {
  const MDS = ["myelodysplastic syndrome"];

  it("joins a word hyphenated across a line end", () => {
    const raw = "Patients with myelo-\ndysplastic syndrome were";
    expect(clean(raw, "ocr").text).toBe("Patients with myelodysplastic syndrome were");
    expect(tag(raw, "ocr", MDS)).toEqual([at(raw, "myelo-\ndysplastic syndrome")]);
    // Without the clean-up the two halves are two tokens.
    expect(tag(raw, "text", MDS)).toEqual([]);
  });

  it("joins across CRLF, with spaces or tabs around the break, and with U+2010 or a soft hyphen", () => {
    for (const brk of ["-\r\n", "- \n", "-  \r\n   ", "-\t\n\t", "\u2010\n", "\u00ad\n", "\u00ad \r\n "]) {
      const raw = `A myelo${brk}dysplastic syndrome.`;
      expect(clean(raw, "ocr").text, JSON.stringify(brk)).toBe("A myelodysplastic syndrome.");
      expect(tag(raw, "ocr", MDS), JSON.stringify(brk)).toEqual([at(raw, `myelo${brk}dysplastic syndrome`)]);
    }
  });

  it("joins a word broken inside the name's last token, and maps the end past the break", () => {
    const raw = "MDS (myelodysplastic syn-\ndrome), rare";
    expect(tag(raw, "ocr", MDS)).toEqual([at(raw, "myelodysplastic syn-\ndrome")]);
  });

  it("joins after a letter with a combining mark (decomposed é)", () => {
    const raw = "the cafe\u0301-\nteria";
    expect(clean(raw, "ocr").text).toBe("the cafe\u0301teria");
    expect(tag(raw, "ocr", ["cafeteria"])).toEqual([at(raw, "cafe\u0301-\nteria")]);
  });

  it("does not join before a capital or a digit, nor after a digit, nor across a blank line", () => {
    expect(clean("North-\nCarolina", "ocr").text).toBe("North-\nCarolina");
    expect(tag("in North-\nCarolina", "ocr", ["North Carolina", "NorthCarolina"])).toEqual([
      at("in North-\nCarolina", "North-\nCarolina"),
    ]);
    expect(clean("IL-\n6 and 3-\nfold", "ocr").text).toBe("IL-\n6 and 3-\nfold");
    expect(clean("myelo-\n\ndysplastic", "ocr").text).toBe("myelo-\n\ndysplastic");
    expect(tag("myelo-\n\ndysplastic syndrome", "ocr", MDS)).toEqual([]);
  });

  it("keeps a hyphenated word that is not at a line end split", () => {
    const raw = "Wnt/beta-catenin signalling";
    expect(clean(raw, "ocr").text).toBe(raw);
    expect(tag(raw, "ocr", ["beta catenin", "betacatenin"])).toEqual([at(raw, "beta-catenin")]);
    // A hyphen followed by spaces but no line break is not a line-end hyphenation either.
    expect(tag("beta-  catenin", "ocr", ["beta catenin", "betacatenin"])).toEqual([
      ["beta-  catenin", 0, 14],
    ]);
    // A hyphenated word that happens to fall at a line end is joined: the documented OCR heuristic.
    expect(tag("beta-\ncatenin", "ocr", ["beta catenin", "betacatenin"])).toEqual([
      ["beta-\ncatenin", 0, 13],
    ]);
  });

  it("drops soft hyphens inside a word", () => {
    const raw = "with myelo\u00addys\u00adplastic syndrome";
    expect(clean(raw, "ocr").text).toBe("with myelodysplastic syndrome");
    expect(tag(raw, "ocr", MDS)).toEqual([at(raw, "myelo\u00addys\u00adplastic syndrome")]);
    // In plain text a soft hyphen (a format character) separates tokens.
    expect(tag(raw, "text", MDS)).toEqual([]);
    // A soft hyphen right before or after a name is not part of it.
    expect(tag("\u00adfibrosis\u00ad", "ocr", ["fibrosis"])).toEqual([["fibrosis", 1, 9]]);
  });

  it("expands ligatures (NFKC) and maps each back to the whole ligature", () => {
    const raw = "pulmonary ﬁbrosis, ﬂuorescence, diﬃcult staﬀ";
    const c = clean(raw, "ocr");
    expect(c.text).toBe("pulmonary fibrosis, fluorescence, difficult staff");
    const i = raw.indexOf("ﬁ");
    expect(rawRange(c, i, i + 1)).toEqual([i, i + 1]);
    expect(rawRange(c, i + 1, i + 2)).toEqual([i, i + 1]);
    expect(tag(raw, "ocr", ["pulmonary fibrosis", "fluorescence", "difficult", "staff"])).toEqual([
      at(raw, "pulmonary ﬁbrosis"),
      at(raw, "ﬂuorescence"),
      at(raw, "diﬃcult"),
      at(raw, "staﬀ"),
    ]);
    expect(tag("ﬁbrosis", "ocr", ["fibrosis"])).toEqual([["ﬁbrosis", 0, 7]]);
  });

  it("normalizes full-width and mathematical letters (NFKC), astral ones included", () => {
    const raw = "ＣＲＯＨＮ　ｄｉｓｅａｓｅ and 𝐂𝐫𝐨𝐡𝐧 disease";
    const c = clean(raw, "ocr");
    expect(c.text).toBe("CROHN disease and Crohn disease");
    expect(tag(raw, "ocr", ["Crohn disease"])).toEqual([
      at(raw, "ＣＲＯＨＮ　ｄｉｓｅａｓｅ"),
      at(raw, "𝐂𝐫𝐨𝐡𝐧 disease"),
    ]);
    expect(tag(raw, "ocr", ["Crohn disease"], "exact")).toEqual([at(raw, "𝐂𝐫𝐨𝐡𝐧 disease")]);
  });

  it("lets line breaks and runs of spaces inside a name match", () => {
    const raw = "the United\nArab  Emirates and United \r\n\t Arab\u00a0Emirates";
    const names = ["United Arab Emirates"];
    expect(tag(raw, "ocr", names)).toEqual([
      at(raw, "United\nArab  Emirates"),
      at(raw, "United \r\n\t Arab\u00a0Emirates"),
    ]);
    expect(tag(raw, "text", names)).toEqual(tag(raw, "ocr", names));
  });

  it("keeps offsets right around emoji, surrogate pairs and lone surrogates", () => {
    const raw = "😀 myelo-\ndysplastic syndrome 👍🏽ﬁbrosis\ud800 ﬁbrosis\udc00x 𠀀ﬁbrosis";
    expect(tag(raw, "ocr", [...MDS, "fibrosis"])).toEqual([
      at(raw, "myelo-\ndysplastic syndrome"),
      at(raw, "ﬁbrosis"),
      at(raw, "ﬁbrosis", raw.indexOf("\ud800")),
    ]);
    // 𠀀 (U+20000) is a letter: "𠀀ﬁbrosis" is one token, so no match there.
    expect(clean(raw, "ocr").text).toBe(
      "😀 myelodysplastic syndrome 👍🏽fibrosis\ud800 fibrosis\udc00x 𠀀fibrosis",
    );
  });

  it("returns a plain ASCII text without line-end hyphens as is (identity maps)", () => {
    const raw = "United Arab Emirates - a country; beta-catenin -  \t ok";
    expect(cleanText(raw, "ocr")).toEqual({ text: raw, from: null, to: null });
    expect(tag(raw, "ocr", ["United Arab Emirates"])).toEqual([at(raw, "United Arab Emirates")]);
  });

  it("keeps an ASCII hyphen break that is not a hyphenation, mapping char for char", () => {
    const raw = "end -\nstart and 12-\nabc";
    const c = clean(raw, "ocr");
    expect(c.text).toBe(raw);
    expect(Array.from(c.from!)).toEqual(Array.from({ length: raw.length }, (_, k) => k));
  });
});

describe("html", () => {
  it("skips tags: an inline tag inside a name keeps the match, offsets cover the inner tag", () => {
    const raw = "<p>Crohn <b>disease</b></p>";
    expect(clean(raw, "html").text).toBe(`${BLOCK_CHAR}Crohn disease${BLOCK_CHAR}`);
    expect(tag(raw, "html", ["Crohn disease"])).toEqual([at(raw, "Crohn <b>disease")]);
    expect(tag(raw, "html", ["Crohn disease"], "exact")).toEqual([at(raw, "Crohn <b>disease")]);
    const a = annotator.annotate(raw, [lexiconOf(["Crohn disease"])], { matching: "lower", format: "html" });
    expect(a[0].confidence).toBe(1);
  });

  it("joins a word split by inline tags (Esch<i>erichia</i>)", () => {
    const raw = "<p><i>Esch</i>er<span class='x'>ichia</span> <em>coli</em> O157</p>";
    expect(tag(raw, "html", ["Escherichia coli"])).toEqual([
      at(raw, "Esch</i>er<span class='x'>ichia</span> <em>coli"),
    ]);
    const raw2 = "Esch<i>erichia</i> coli";
    expect(tag(raw2, "html", ["Escherichia coli"])).toEqual([at(raw2, "Esch<i>erichia</i> coli")]);
  });

  it("decodes named entities: &amp; &eacute; &ouml; &nbsp; (with folding in lower mode)", () => {
    const raw = "R&amp;D at the &Eacute;cole normale; Sj&ouml;gren&nbsp;syndrome";
    expect(clean(raw, "html").text).toBe("R&D at the École normale; Sjögren\u00a0syndrome");
    expect(tag(raw, "html", ["R&D", "Ecole Normale", "Sjögren syndrome"])).toEqual([
      at(raw, "R&amp;D"),
      at(raw, "&Eacute;cole normale"),
      at(raw, "Sj&ouml;gren&nbsp;syndrome"),
    ]);
    // exact: the name must have the same case, the accent is folded in every mode.
    expect(tag(raw, "html", ["Ecole normale", "Sjogren syndrome"], "exact")).toEqual([
      at(raw, "&Eacute;cole normale"),
      at(raw, "Sj&ouml;gren&nbsp;syndrome"),
    ]);
  });

  it("decodes numeric references, decimal and hexadecimal, astral ones to a pair", () => {
    const raw = "Caf&#233; and Caf&#xE9; and Caf&#XE9;&#x1F600;Crohn&#128512;disease &#x1F600;";
    const c = clean(raw, "html");
    expect(c.text).toBe("Café and Café and Café😀Crohn😀disease 😀");
    const e = c.text.lastIndexOf("😀");
    expect(rawRange(c, e, e + 2)).toEqual([raw.length - 9, raw.length]);
    expect(rawRange(c, e + 1, e + 2)).toEqual([raw.length - 9, raw.length]);
    expect(tag(raw, "html", ["cafe", "Crohn disease"])).toEqual([
      at(raw, "Caf&#233;"),
      at(raw, "Caf&#xE9;"),
      at(raw, "Caf&#XE9;"),
      at(raw, "Crohn&#128512;disease"),
    ]);
  });

  it("maps text after an ampersand that starts no reference character for character (R&D &amp; Co)", () => {
    const raw = "R&D &amp; Co; AT&T; x &foo; &#; &#x; &;";
    const c = clean(raw, "html");
    expect(c.text).toBe("R&D & Co; AT&T; x &foo; &#; &#x; &;");
    expect(tag(raw, "html", ["R D", "Co", "T"])).toEqual([at(raw, "R&D"), at(raw, "Co"), at(raw, "T", 16)]);
  });

  it("does not turn decoded &lt;p&gt; into markup", () => {
    const raw = "&lt;p&gt;Crohn&lt;/p&gt; disease";
    expect(clean(raw, "html").text).toBe("<p>Crohn</p> disease");
    expect(tag(raw, "html", ["Crohn"])).toEqual([at(raw, "Crohn")]);
    expect(tag(raw, "html", ["Crohn disease"])).toEqual([]);
    expect(tag(raw, "html", ["p Crohn p disease"])).toEqual([
      ["p&gt;Crohn&lt;/p&gt; disease", 4, raw.length],
    ]);
  });

  it("never matches across block elements: p, br, td, li, div, headings", () => {
    const NC = ["North Carolina"];
    for (const raw of [
      "<p>North</p><p>Carolina</p>",
      "<p>North</p>Carolina",
      "North<br>Carolina",
      "North <br/> Carolina",
      "North<BR >Carolina",
      "<table><tr><td>North</td><td>Carolina</td></tr></table>",
      "<td>North<td>Carolina",
      "<ul><li>North<li>Carolina</ul>",
      'North<div class="x">Carolina</div>',
      "<h1>North</h1>Carolina",
      "<P>North</P><P>Carolina</P>",
      "North<hr>Carolina",
    ]) {
      expect(tag(raw, "html", NC), raw).toEqual([]);
      expect(
        tag(raw, "html", ["North", "Carolina"]).map((a) => a[0]),
        raw,
      ).toEqual(["North", "Carolina"]);
    }
    // The same words across inline tags, or in plain text, do match.
    const inline = "North <span>Carolina</span>";
    expect(tag(inline, "html", NC)).toEqual([at(inline, "North <span>Carolina")]);
  });

  it("a block boundary is one U+2029 mapped to its whole tag", () => {
    const raw = "a<br class='z'/>b";
    const c = clean(raw, "html");
    expect(c.text).toBe(`a${BLOCK_CHAR}b`);
    expect(rawRange(c, 1, 2)).toEqual([1, raw.length - 1]);
  });

  it("ignores comments, script, style, template and noscript content", () => {
    const names = ["Crohn disease", "secret"];
    const raw =
      "<!-- Crohn disease secret -->Crohn <!-- a > b --> disease" +
      "<script type='text/javascript'>var s = '<p>secret</p> Crohn disease';</script>" +
      "<STYLE>p > b { content: 'secret' }</STYLE><template><p>secret</p></template>" +
      "<noscript>secret</noscript> secret <script>if (a </scripts> b) secret</Script >end";
    const c = clean(raw, "html");
    expect(c.text).toBe("Crohn  disease secret end");
    expect(tag(raw, "html", names)).toEqual([
      at(raw, "Crohn <!-- a > b --> disease"),
      at(raw, "secret", raw.indexOf("</noscript>")),
    ]);
  });

  it("finds the end of a script despite characters whose lower case is longer (İ)", () => {
    const raw = `${"İ".repeat(20)} <script>x()</script>Crohn disease`;
    expect(clean(raw, "html").text).toBe(`${"İ".repeat(20)} Crohn disease`);
    expect(tag(raw, "html", ["Crohn disease"])).toEqual([at(raw, "Crohn disease")]);
  });

  it("skips a whole tag whose quoted attribute values contain '>'", () => {
    const raw = `<a title="x > y" data-j='{"a":">"}' href=u>Crohn</a> disease <img alt = "<p>"> y`;
    expect(clean(raw, "html").text).toBe("Crohn disease  y");
    expect(tag(raw, "html", ["Crohn disease", "y"])).toEqual([
      at(raw, "Crohn</a> disease"),
      ["y", raw.length - 1, raw.length],
    ]);
  });

  it("keeps a bare '<' or '>' in text as text (p < 0.05)", () => {
    const raw = "<p>p < 0.05 and 3<4, a > b</p>";
    expect(clean(raw, "html").text).toBe(`${BLOCK_CHAR}p < 0.05 and 3<4, a > b${BLOCK_CHAR}`);
    expect(tag(raw, "html", ["p < 0.05", "3 < 4"])).toEqual([at(raw, "p < 0.05"), at(raw, "3<4")]);
  });

  it("does not crash on an unterminated tag, comment, reference, CDATA or script at the end", () => {
    const names = ["Crohn disease", "b"];
    for (const tail of [
      "<b",
      "<b class='x",
      "<!-- Crohn disease",
      "<!--",
      "<",
      "</",
      "<!",
      "&amp",
      "&",
      "<![CDATA[",
    ]) {
      const raw = `Crohn disease ${tail}`;
      const got = tag(raw, "html", names);
      expect(got[0], tail).toEqual(["Crohn disease", 0, 13]);
    }
    expect(clean("Crohn <b", "html").text).toBe("Crohn <b");
    expect(clean("Crohn <!-- x", "html").text).toBe("Crohn ");
    expect(clean("Crohn <script>disease", "html").text).toBe("Crohn ");
    expect(clean("Crohn <style>", "html").text).toBe("Crohn ");
    expect(tag("Crohn <![CDATA[disease", "html", names)).toEqual([["Crohn <![CDATA[disease", 0, 22]]);
  });

  it("skips a doctype and processing instructions, and head content is its own block", () => {
    const raw =
      "<!DOCTYPE html><html><head><title>Crohn</title></head><body><p>disease</p><p>Crohn disease</p></body></html>";
    expect(tag(raw, "html", ["Crohn disease"])).toEqual([at(raw, "Crohn disease", raw.indexOf("<body>"))]);
  });

  it("maps annotations through surrogate pairs and entities in one text", () => {
    const raw = "<div>😀&#x1F600;<b>Crohn</b>&nbsp;<i>disease</i>😀</div>";
    expect(tag(raw, "html", ["Crohn disease"])).toEqual([at(raw, "Crohn</b>&nbsp;<i>disease")]);
  });
});

describe("xml", () => {
  it("JATS: inline italic does not break a name, block elements do", () => {
    const raw =
      "<article-title>Crohn <italic>disease</italic> in North</article-title><abstract><p>Carolina " +
      "<bold>North</bold> <sc>Carolina</sc></p></abstract>";
    expect(tag(raw, "xml", ["Crohn disease", "North Carolina"])).toEqual([
      at(raw, "Crohn <italic>disease"),
      at(raw, "North</bold> <sc>Carolina"),
    ]);
  });

  it("joins a word split by inline elements, and keeps xref/sup inline", () => {
    const raw =
      '<p>Esch<italic>erichia</italic> coli <xref ref-type="bibr" rid="b1">1</xref> Ca<sup>2+</sup></p>';
    expect(tag(raw, "xml", ["Escherichia coli", "coli 1", "Ca2"])).toEqual([
      at(raw, "Esch<italic>erichia</italic> coli"),
      at(raw, "Ca<sup>2"),
    ]);
    expect(tag(raw, "xml", ["coli 1"])).toEqual([at(raw, 'coli <xref ref-type="bibr" rid="b1">1')]);
  });

  it("treats every element not known as inline as a block (title, sec, break, label)", () => {
    for (const raw of [
      "<title>North</title><p>Carolina</p>",
      "<sec><title>North</title></sec>Carolina",
      "North<break/>Carolina",
      "<label>North</label>Carolina",
      "<unknown-element>North</unknown-element> Carolina",
    ]) {
      expect(tag(raw, "xml", ["North Carolina"]), raw).toEqual([]);
    }
  });

  it("reads CDATA content as text, markup and references inside it literally", () => {
    const raw = "<p><![CDATA[Crohn & <b>disease</b> &amp;]]></p><p>Crohn <![CDATA[disease]]></p>";
    const c = clean(raw, "xml");
    expect(c.text).toBe(
      `${BLOCK_CHAR}Crohn & <b>disease</b> &amp;${BLOCK_CHAR}${BLOCK_CHAR}Crohn disease${BLOCK_CHAR}`,
    );
    expect(tag(raw, "xml", ["Crohn b disease", "Crohn disease"])).toEqual([
      at(raw, "Crohn & <b>disease"),
      at(raw, "Crohn <![CDATA[disease"),
    ]);
  });

  it("decodes the XML entities and numeric references, but not HTML-only names", () => {
    const raw = "<p>O&apos;Brien &lt; 5 &amp; &quot;x&quot; &gt; Caf&#233; Caf&eacute;</p>";
    expect(clean(raw, "xml").text).toBe(`${BLOCK_CHAR}O'Brien < 5 & "x" > Café Caf&eacute;${BLOCK_CHAR}`);
    expect(tag(raw, "xml", ["O'Brien", "cafe", "Caf eacute"])).toEqual([
      at(raw, "O&apos;Brien"),
      at(raw, "Caf&#233;"),
      at(raw, "Caf&eacute"),
    ]);
  });

  it("skips namespaced tags; the namespace prefix does not change inline-ness", () => {
    const raw =
      '<jats:p>Crohn <jats:italic>disease</jats:italic> with <mml:math display="inline"><mml:mi>x</mml:mi>' +
      "</mml:math> North<mml:math/>Carolina</jats:p>";
    const c = clean(raw, "xml");
    expect(c.text.replaceAll(BLOCK_CHAR, "|")).toBe("|Crohn disease with ||x|| North|Carolina|");
    expect(tag(raw, "xml", ["Crohn disease", "with x", "x North", "North Carolina"])).toEqual([
      at(raw, "Crohn <jats:italic>disease"),
    ]);
  });

  it("skips the XML declaration, doctype and processing instructions, without a block", () => {
    const raw = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE article>Crohn<?pi x?> disease';
    expect(clean(raw, "xml").text).toBe("Crohn disease");
    expect(tag(raw, "xml", ["Crohn disease"])).toEqual([at(raw, "Crohn<?pi x?> disease")]);
  });

  it("does not skip script or style content (no such thing in XML)", () => {
    expect(clean("<style>Crohn</style>", "xml").text).toBe(`${BLOCK_CHAR}Crohn${BLOCK_CHAR}`);
  });

  it("does not crash on unterminated markup at the end", () => {
    for (const tail of ["<italic", "<!--", "<![CDATA[x", "<?xml", "&apos", "</"]) {
      const raw = `<p>Crohn disease</p>${tail}`;
      expect(tag(raw, "xml", ["Crohn disease"])).toEqual([["Crohn disease", 3, 16]]);
    }
  });
});

// ---- property tests -------------------------------------------------------------------------------

/** A fragment of a generated document and what the clean-up must make of it. */
interface Frag {
  raw: string;
  /** copy: kept unit for unit; drop: removed; block: one U+2029; a string: replaced by it as a whole. */
  out: "copy" | "drop" | "block" | { decoded: string };
  /** A word (or a word-forming reference): annotations start and end on these. */
  word?: boolean;
}

const NAMES = [
  "Crohn disease",
  "North Carolina",
  "Escherichia coli",
  "beta catenin",
  "fibrosis",
  "Sjögren syndrome",
  "disease",
  "Cafe",
  "x",
];
const WORDS = [
  "Crohn",
  "disease",
  "North",
  "Carolina",
  "Esch",
  "erichia",
  "coli",
  "beta",
  "catenin",
  "Sj",
  "gren",
];
const word = (w: string): Frag => ({ raw: w, out: "copy", word: true });
const copy = (s: string): Frag => ({ raw: s, out: "copy" });
const drop = (s: string): Frag => ({ raw: s, out: "drop" });
const block = (s: string): Frag => ({ raw: s, out: "block" });
const decoded = (s: string, d: string, isWord = false): Frag => ({
  raw: s,
  out: { decoded: d },
  word: isWord,
});

const SPACES = [" ", " ", "\n", "  ", "\t", "\r\n"].map(copy);
const COMMON_MARKUP = [
  ...["<b>", "</b>", "<i>", "</i>", '<span class="c">', "</span>", "<!-- Crohn disease -->", "<!---->"].map(
    drop,
  ),
  ...["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].map((e) => decoded(e, decodeXMLStrict(e))),
  decoded("&#233;", "é", true),
  decoded("&#xF6;", "ö", true),
  decoded("&#x1F600;", "😀"),
  decoded("&#128512;", "😀"),
  ...["< ", " > ", "& ", "; ", "3<4", "R&D", "😀", "?"].map(copy),
];
const HTML_FRAGS: Frag[] = [
  ...COMMON_MARKUP,
  ...["<p>", "</p>", "<br>", "<br/>", "<td>", "</td>", "<li>", "<div class='d'>", "</div>", "<H1>"].map(
    block,
  ),
  ...["<a title=\"x > y\" href='/?a=1&amp;b=2'>", "</a>", "<wbr>", "<!DOCTYPE html>"].map(drop),
  drop("<script>if (a < b) s = '</p> Crohn disease';</script>"),
  drop("<style>p > b { color: red }</style>"),
  decoded("&eacute;", "é", true),
  decoded("&ouml;", "ö", true),
  decoded("&nbsp;", "\u00a0"),
];
const XML_FRAGS: Frag[] = [
  ...COMMON_MARKUP,
  ...["<italic>", "</italic>", '<xref ref-type="bibr" rid="b1">', "</xref>", "<jats:italic>", "</sup>"].map(
    drop,
  ),
  ...['<?xml version="1.0"?>', "<!DOCTYPE article>"].map(drop),
  ...["<p>", "</p>", "<article-title>", "</article-title>", "<break/>", "<mml:math>", "</mml:mi>"].map(block),
  copy("&eacute;"),
  copy("&ouml;"),
];

/** A CDATA section: its content is copied, the delimiters dropped. */
const cdata = fc
  .array(fc.constantFrom(...WORDS, " ", "<b>", "&amp;", "<!--", "&"), { maxLength: 4 })
  .map((parts): Frag[] => [drop("<![CDATA["), copy(parts.join("")), drop("]]>")]);

/** The cleaned text and maps a document of fragments must produce, built independently of cleanText. */
function expected(frags: readonly Frag[]): { raw: string; text: string; from: number[]; to: number[] } {
  let raw = "";
  let text = "";
  const from: number[] = [];
  const to: number[] = [];
  for (const f of frags) {
    const a = raw.length;
    raw += f.raw;
    const b = raw.length;
    if (f.out === "copy") {
      text += f.raw;
      for (let k = a; k < b; k++) {
        from.push(k);
        to.push(k + 1);
      }
    } else if (f.out !== "drop") {
      const s = f.out === "block" ? BLOCK_CHAR : f.out.decoded;
      text += s;
      for (let k = 0; k < s.length; k++) {
        from.push(a);
        to.push(b);
      }
    }
  }
  return { raw, text, from, to };
}

/** What the annotator must return for `raw`: the annotations of the expected cleaned text, mapped back. */
function expectedAnnotations(
  e: { raw: string; text: string; from: number[]; to: number[] },
  lex: Lexicon,
): [string, number, number][] {
  return annotator.annotate(e.text, [lex], { matching: "lower" }).map((a) => {
    const b = e.from[a.begin];
    const end = e.to[a.end - 1];
    return [a.id, b, end];
  });
}

const markupDoc = (frags: Frag[]) =>
  fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...WORDS).map((w) => [word(w)]) },
        { weight: 3, arbitrary: fc.constantFrom(...SPACES).map((s) => [s]) },
        { weight: 5, arbitrary: fc.constantFrom(...frags).map((f) => [f]) },
        { weight: 1, arbitrary: cdata },
      ),
      { maxLength: 40 },
    )
    .map((xs) => xs.flat());

describe("property: offsets map back exactly", () => {
  const lex = lexiconOf(NAMES);

  for (const [format, frags] of [
    ["html", HTML_FRAGS],
    ["xml", XML_FRAGS],
  ] as const) {
    it(`${format}: cleaned text and maps equal the fragment model; annotations land on word boundaries`, () => {
      fc.assert(
        fc.property(markupDoc(frags), (doc) => {
          const e = expected(doc);
          const c = clean(e.raw, format);
          expect(c.text).toBe(e.text);
          expect(Array.from(c.from ?? [])).toEqual(e.from);
          expect(Array.from(c.to ?? [])).toEqual(e.to);
          const got = checked(e.raw, annotator.annotate(e.raw, [lex], { matching: "lower", format }));
          expect(got.map((a): [string, number, number] => [a.id, a.begin, a.end])).toEqual(
            expectedAnnotations(e, lex),
          );
          // Every annotation starts where a word fragment starts (or inside other copied text) and ends
          // where one ends.
          const starts = new Set<number>();
          const ends = new Set<number>();
          let p = 0;
          for (const f of doc) {
            if (f.word) {
              starts.add(p);
              ends.add(p + f.raw.length);
            } else if (f.out === "copy") {
              for (let k = 0; k <= f.raw.length; k++) {
                starts.add(p + k);
                ends.add(p + k);
              }
            }
            p += f.raw.length;
          }
          for (const a of got) {
            expect(starts.has(a.begin), `begin ${a.begin} in ${JSON.stringify(e.raw)}`).toBe(true);
            expect(ends.has(a.end), `end ${a.end} in ${JSON.stringify(e.raw)}`).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it("ocr: cleaned text and maps equal a fragment model of hyphen breaks, soft hyphens and NFKC", () => {
    const OCR_WORDS = [
      ...WORDS,
      "myelo",
      "dysplastic",
      "mye\u00adlo",
      "ﬁbrosis",
      "ﬁ",
      "brosis",
      "Ｃｒｏｈｎ",
      "𝐝𝐢𝐬𝐞𝐚𝐬𝐞",
      "e\u0301",
    ];
    const BREAKS = ["-\n", "-\r\n", "- \n ", "-\t\r\n\t", "\u2010\n", "\u00ad\n"];
    // (A soft hyphen only inside words: one at a word's end followed by a line break is a break.)
    const SEPS = [" ", " ", "\n", "  ", "\t", "😀", "\ud800", "\udc00", "; ", "3", "-x", "\u3000"];
    type OcrFrag = { raw: string; kind: "word" | "break" | "sep" };
    const frag = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...OCR_WORDS).map((raw): OcrFrag => ({ raw, kind: "word" })) },
      { weight: 2, arbitrary: fc.constantFrom(...BREAKS).map((raw): OcrFrag => ({ raw, kind: "break" })) },
      { weight: 4, arbitrary: fc.constantFrom(...SEPS).map((raw): OcrFrag => ({ raw, kind: "sep" })) },
    );
    const lex = lexiconOf([...NAMES, "myelodysplastic", "Crohn disease", "beta catenin"]);
    fc.assert(
      fc.property(fc.array(frag, { maxLength: 30 }), (doc) => {
        const raw = doc.map((f) => f.raw).join("");
        // The model: a break is removed, with the blanks after it, when a letter (or mark) precedes it
        // and a lower-case letter follows; everything else is per code point: soft hyphens dropped, the
        // rest NFKC-normalized as a whole code point.
        const removed = new Set<number>();
        for (let k = 0, p = 0; k < doc.length; p += doc[k].raw.length, k++) {
          if (doc[k].kind !== "break") continue;
          let j = k + 1;
          while (j < doc.length && /^[ \t]+$/.test(doc[j].raw)) j++;
          if (/[\p{L}\p{M}]$/u.test(raw.slice(0, p)) && j < doc.length && /^\p{Ll}/u.test(doc[j].raw)) {
            for (let r = k; r < j; r++) removed.add(r);
          }
        }
        let text = "";
        const from: number[] = [];
        const to: number[] = [];
        for (let k = 0, p = 0; k < doc.length; p += doc[k].raw.length, k++) {
          if (removed.has(k)) continue;
          const s = doc[k].raw;
          for (let q = 0; q < s.length; ) {
            const cp = s.codePointAt(q)!;
            const w = cp > 0xffff ? 2 : 1;
            const ch = s.slice(q, q + w);
            const n = ch.normalize("NFKC");
            if (ch === "\u00ad") {
              // dropped
            } else if (n === ch) {
              for (let u = 0; u < w; u++) {
                from.push(p + q + u);
                to.push(p + q + u + 1);
              }
            } else {
              for (let u = 0; u < n.length; u++) {
                from.push(p + q);
                to.push(p + q + w);
              }
            }
            text += ch === "\u00ad" ? "" : n;
            q += w;
          }
        }
        const c = clean(raw, "ocr");
        expect(c.text).toBe(text);
        if (c.from !== null) {
          expect(Array.from(c.from)).toEqual(from);
          expect(Array.from(c.to!)).toEqual(to);
        } else {
          expect(from).toEqual(Array.from({ length: raw.length }, (_, k) => k));
        }
        const got = checked(raw, annotator.annotate(raw, [lex], { matching: "lower", format: "ocr" }));
        expect(got.map((a): [string, number, number] => [a.id, a.begin, a.end])).toEqual(
          expectedAnnotations({ raw, text, from, to }, lex),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("any format, any input: never throws, maps are consistent, annotations cover what they say", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        ...HTML_FRAGS.map((f) => f.raw),
        ...XML_FRAGS.map((f) => f.raw),
        ...WORDS,
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<",
        ">",
        "&",
        ";",
        "&#",
        "&#x",
        "=",
        '"',
        "'",
        "<script>",
        "</script>",
        "<a href=",
        "-\n",
        "\u00ad",
        "ﬁ",
        "İ",
        "\ud800",
        "\udfff",
        "😀",
      ),
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.string({ unit: fc.constantFrom(..."<>&;#x/!-?[]=\"' aAé\n"), maxLength: 8 }),
    );
    const lex = lexiconOf([...NAMES, "a", "aa", "a a", "xa", "é"]);
    fc.assert(
      // hOCR keeps only the words of ocrx_word elements, so the partition invariants below do not hold
      // for it; test/ocr/pure.test.ts covers its maps.
      fc.property(
        fc.array(piece, { maxLength: 25 }),
        fc.constantFrom(...TEXT_FORMATS.filter((f) => f !== "hocr")),
        (parts, format) => {
          const raw = parts.join("");
          const c = clean(raw, format);
          const got = checked(raw, annotator.annotate(raw, [lex], { matching: "lower", format }));
          for (const a of got) {
            // The annotation starts on a cleaned word character and ends on one (or a mark).
            const starts: number[] = [];
            const ends: number[] = [];
            for (let i = 0; i < c.text.length; i++) {
              const [b, e] = rawRange(c, i, i + 1);
              if (b === a.begin) starts.push(i);
              if (e === a.end) ends.push(i);
            }
            expect(
              starts.some((i) => /^[\p{L}\p{N}]/u.test(c.text.slice(i))),
              JSON.stringify(raw),
            ).toBe(true);
            expect(
              ends.some((i) => /[\p{L}\p{N}\p{M}]$/u.test(c.text.slice(0, i + 1))),
              JSON.stringify(raw),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("large inputs: linear-ish time on many bare '<', quotes and ampersands", () => {
    const n = 200_000;
    for (const raw of [
      "a<b ".repeat(n / 4),
      '<a x="'.repeat(n / 6),
      `${'<a x="'.repeat(n / 6)}>`,
      `${"<b ".repeat(n / 3)}>`,
      "&amp".repeat(n / 4),
      "<".repeat(n),
      "<script></script>".repeat(n / 17),
      `${"<p title='".repeat(n / 10)}>`,
    ]) {
      const t0 = performance.now();
      for (const f of ["html", "xml"] as const) cleanText(raw, f);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });
});
