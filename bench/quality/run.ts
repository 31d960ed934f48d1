/**
 * bench/quality: how much the fuzzy mode recovers of what OCR costs the `lower` mode, on real OCR output.
 *
 * Data: the Gene Ontology of Debian's r-bioc-go.db (GO.sqlite): the lexicon is every GO term with its
 * synonyms (GO-id synonyms left out); the text is the GO definitions of a seeded random sample of terms,
 * which mention other GO terms. Pages of definitions are rendered with ImageMagick (several fonts, 100-300
 * dpi, blur, noise, slight rotation) and read back by Tesseract.
 *
 * Gold: the entities `lower` finds on the clean text of a page (a multiset of ids per page). On the OCR
 * text, for `lower` and `fuzzy`: recall and precision against that multiset; "lost" = gold mentions lower
 * misses on the OCR text; "legible" = gold mentions whose covered text still stands in the OCR text within
 * 25% character edits (approximate substring search); recovery = share of the lost-and-legible mentions
 * fuzzy finds. The legible ceiling = legible / gold.
 *
 * Usage: npm run build && node dist/bench/quality/run.js [--pages 24] [--words 250] [--seed 7]
 *          [--work /tmp/soda-quality] [--threshold 0.8] [--jobs 2] [--show 25]
 * Rendered pages and OCR text are cached in the work directory (delete it to re-render).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { Annotator } from "../../src/annotate/annotator.js";
import { type Entry, Lexicon } from "../../src/annotate/lexicon.js";
import { fuzzyAnnotate } from "../../src/fuzzy/index.js";
import { random } from "../../src/fuzzy/ocr-noise.js";
import { PageAlignment, squash as squashText } from "./align.js";

const run = promisify(execFile);
const GO_DB = "/usr/lib/R/site-library/GO.db/extdata/GO.sqlite";

interface Options {
  pages: number;
  words: number;
  seed: number;
  work: string;
  threshold: number;
  jobs: number;
  /** Misses and false positives listed (the first ones). */
  show: number;
}

function options(): Options {
  const o: Options = {
    pages: 24,
    words: 250,
    seed: 7,
    work: "/tmp/soda-quality",
    threshold: 0.8,
    jobs: 2,
    show: 25,
  };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const v = a[i + 1];
    if (a[i] === "--pages") o.pages = Number(v);
    else if (a[i] === "--words") o.words = Number(v);
    else if (a[i] === "--seed") o.seed = Number(v);
    else if (a[i] === "--work") o.work = v;
    else if (a[i] === "--threshold") o.threshold = Number(v);
    else if (a[i] === "--jobs") o.jobs = Number(v);
    else if (a[i] === "--show") o.show = Number(v);
    else continue;
    i++;
  }
  return o;
}

/** GO terms and synonyms as entries, and all definitions. */
export function loadGo(file = GO_DB): { entries: Entry[]; definitions: string[] } {
  const db = new Database(file, { readonly: true });
  const terms = db
    .prepare("SELECT _id, go_id, term, definition FROM go_term WHERE go_id LIKE 'GO:%'")
    .all() as {
    _id: number;
    go_id: string;
    term: string;
    definition: string | null;
  }[];
  const syn = db.prepare("SELECT _id, synonym FROM go_synonym WHERE like_go_id = 0").all() as {
    _id: number;
    synonym: string;
  }[];
  db.close();
  const names = new Map<number, string[]>();
  for (const t of terms) names.set(t._id, [t.term]);
  for (const s of syn) names.get(s._id)?.push(s.synonym);
  const entries = terms.map((t) => ({ id: t.go_id, names: [...new Set(names.get(t._id))] }));
  const definitions = terms
    .map((t) => t.definition ?? "")
    .filter((d) => d.length > 40 && !d.startsWith("OBSOLETE"));
  return { entries, definitions };
}

interface PageStyle {
  font: string;
  dpi: number;
  blur: number;
  noise: number;
  rotate: number;
  pointsize: number;
}

const FONTS = [
  "Times-Roman",
  "Helvetica",
  "Courier",
  "Palatino-Roman",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "NewCenturySchlbk-Roman",
];

function styleOf(i: number, rnd: () => number): PageStyle {
  const dpis = [100, 120, 150, 200, 300];
  return {
    font: FONTS[i % FONTS.length],
    dpi: dpis[Math.floor(i / FONTS.length) % dpis.length],
    blur: Math.round(rnd() * 12) / 10,
    noise: Math.round(rnd() * 10) / 10,
    rotate: Math.round((rnd() - 0.5) * 30) / 10,
    pointsize: 8 + Math.floor(rnd() * 4),
  };
}

/** Renders `text` as a page image and reads it back with Tesseract (cached by page number). */
async function ocrPage(work: string, i: number, text: string, style: PageStyle): Promise<string> {
  const base = join(work, `page-${String(i).padStart(3, "0")}`);
  if (existsSync(`${base}.ocr.txt`) && readFileSync(`${base}.txt`, "utf8") === text)
    return readFileSync(`${base}.ocr.txt`, "utf8");
  writeFileSync(`${base}.txt`, text);
  // One label per pre-wrapped line, stacked: ImageMagick's caption and multi-line label refuse long text
  // here ("width or height exceeds limit"), and its security policy refuses "@file".
  const lines = wrap(text, 68)
    .split("\n")
    .map((l) => `label:${l.replace(/%/g, "%%").replace(/^@/, " @")}`);
  await run("convert", [
    "-density",
    String(style.dpi),
    "-units",
    "PixelsPerInch",
    "-background",
    "white",
    "-fill",
    "black",
    "-font",
    style.font,
    "-pointsize",
    String(style.pointsize),
    ...lines,
    "-append",
    "-bordercolor",
    "white",
    "-border",
    "40",
    ...(style.blur > 0 ? ["-blur", `0x${style.blur}`] : []),
    ...(style.noise > 0 ? ["-attenuate", String(style.noise), "+noise", "Gaussian"] : []),
    "-rotate",
    String(style.rotate),
    "+repage",
    "-flatten",
    "-colorspace",
    "Gray",
    `${base}.png`,
  ]);
  const { stdout } = await run(
    "tesseract",
    [`${base}.png`, "stdout", "-l", "eng", "--dpi", String(style.dpi)],
    {
      maxBuffer: 1 << 26,
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    },
  );
  writeFileSync(`${base}.ocr.txt`, stdout);
  writeFileSync(`${base}.style.json`, JSON.stringify(style));
  return stdout;
}

/** `text` with line breaks at spaces, lines at most `width` characters where possible. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(/\s+/)) {
    if (line.length > 0 && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line.length > 0 ? `${line} ${w}` : w;
  }
  if (line.length > 0) lines.push(line);
  return lines.join("\n");
}

type Bag = Map<string, number>;
function bag(ids: Iterable<string>): Bag {
  const b: Bag = new Map();
  for (const id of ids) b.set(id, (b.get(id) ?? 0) + 1);
  return b;
}
function overlap(a: Bag, b: Bag): number {
  let n = 0;
  for (const [k, v] of a) n += Math.min(v, b.get(k) ?? 0);
  return n;
}
function total(b: Bag): number {
  let n = 0;
  for (const v of b.values()) n += v;
  return n;
}

/**
 * Whether `needle` occurs in `hay` within `maxFrac` × |needle| edits (Sellers' approximate substring
 * search: free start and end in the haystack). O(|needle| × |hay|).
 */
export function approxContains(hay: string, needle: string, maxFrac = 0.25): boolean {
  const m = needle.length;
  const k = Math.floor(m * maxFrac);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  if (prev[m] <= k) return true;
  for (let j = 1; j <= hay.length; j++) {
    cur[0] = 0;
    const c = hay.charCodeAt(j - 1);
    for (let i = 1; i <= m; i++) {
      let v = prev[i - 1] + (needle.charCodeAt(i - 1) === c ? 0 : 1);
      if (prev[i] + 1 < v) v = prev[i] + 1;
      if (cur[i - 1] + 1 < v) v = cur[i - 1] + 1;
      cur[i] = v;
    }
    if (cur[m] <= k) return true;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return false;
}

const squash = (s: string) => squashText(s).text;
/** Slack, in characters, around the OCR span a mention aligns with. */
const PAD = 2;

async function main(): Promise<void> {
  const o = options();
  mkdirSync(o.work, { recursive: true });
  const { entries, definitions } = loadGo();
  const lex = new Lexicon("go", entries);
  const rnd = random(o.seed);
  const pages: string[] = [];
  const styles: PageStyle[] = [];
  for (let p = 0; p < o.pages; p++) {
    const parts: string[] = [];
    let words = 0;
    while (words < o.words) {
      const d = definitions[Math.floor(rnd() * definitions.length)];
      parts.push(d);
      words += d.split(/\s+/).length;
    }
    pages.push(parts.join(" "));
    styles.push(styleOf(p, rnd));
  }
  const ocr: string[] = new Array(pages.length);
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const i = next++;
      ocr[i] = await ocrPage(o.work, i, pages[i], styles[i]);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.jobs }, worker));
  const ocrSeconds = (performance.now() - t0) / 1000;

  const annotator = new Annotator();
  let gold = 0;
  let lowerTp = 0;
  let lowerN = 0;
  let fuzzyTp = 0;
  let fuzzyN = 0;
  let legible = 0;
  let legibleAnywhere = 0;
  let lostAnywhere = 0;
  let recoveredAnywhere = 0;
  let lostLegible = 0;
  let recovered = 0;
  let charErrors = 0;
  let chars = 0;
  const misses: string[] = [];
  const falsePositives: string[] = [];
  const rows: string[] = [];
  for (let p = 0; p < pages.length; p++) {
    const clean = annotator.annotate(pages[p], [lex], { matching: "lower" });
    const g = bag(clean.map((a) => a.id));
    const lowerOcr = annotator.annotate(ocr[p], [lex], { matching: "lower" });
    const fuzzy = fuzzyAnnotate(ocr[p], [lex], { threshold: o.threshold });
    const lb = bag(lowerOcr.map((a) => a.id));
    const fb = bag(fuzzy.map((a) => a.id));
    const hay = squash(ocr[p]);
    // Legible mentions per id (covered text within 25% edits somewhere in the OCR text): the measure of
    // the earlier rounds, kept for comparison.
    const legibleBag: Bag = new Map();
    for (const a of clean)
      if (approxContains(hay, squash(a.coveredText))) legibleBag.set(a.id, (legibleBag.get(a.id) ?? 0) + 1);
    const pg = total(g);
    gold += pg;
    legibleAnywhere += total(legibleBag);
    const ltp = overlap(g, lb);
    const ftp = overlap(g, fb);
    lowerTp += ltp;
    fuzzyTp += ftp;
    lowerN += total(lb);
    fuzzyN += total(fb);
    for (const [id, n] of g) {
      const l = Math.min(n, lb.get(id) ?? 0);
      const leg = Math.min(n, legibleBag.get(id) ?? 0);
      const lost = Math.max(0, leg - l);
      const f = Math.min(n, fb.get(id) ?? 0);
      lostAnywhere += lost;
      recoveredAnywhere += Math.min(lost, Math.max(0, f - l));
    }
    // Where each gold mention went: the OCR span it aligns with. Legible = its covered text within 25%
    // edits there; found = an annotation of its id on that span.
    const al = new PageAlignment(pages[p], ocr[p]);
    const lowerSpans = lowerOcr.map((a) => ({ id: a.id, ...al.squashedOcr(a.begin, a.end), used: false }));
    const fuzzySpans = fuzzy.map((a) => ({ id: a.id, ...al.squashedOcr(a.begin, a.end), used: false }));
    let pageLost = 0;
    let pageRec = 0;
    for (const a of clean) {
      const span = al.ocrSpan(a.begin, a.end);
      const from = Math.max(0, span.begin - PAD);
      const to = Math.min(al.ocr.text.length, span.end + PAD);
      const needle = squash(a.coveredText);
      if (!approxContains(al.ocr.text.slice(from, to), needle)) continue;
      legible++;
      // The unused annotation of this id that overlaps the aligned span most (the slack only breaks
      // ties), so that a neighbouring mention of the same id does not take this one's annotation.
      const claim = (spans: typeof lowerSpans) => {
        let pick: (typeof spans)[number] | undefined;
        let most = -1;
        for (const x of spans) {
          if (x.used || x.id !== a.id || x.begin >= to || x.end <= from) continue;
          const o = Math.min(x.end, span.end) - Math.max(x.begin, span.begin);
          if (o > most) {
            most = o;
            pick = x;
          }
        }
        if (pick) pick.used = true;
        return pick !== undefined;
      };
      if (claim(lowerSpans)) continue;
      pageLost++;
      if (claim(fuzzySpans)) pageRec++;
      else {
        const seen = al.ocr.text.slice(from, to);
        misses.push(
          `p${p} ${a.id} clean ${JSON.stringify(a.coveredText)} OCR there ${JSON.stringify(seen)} name ${JSON.stringify(a.synonym)}`,
        );
      }
    }
    for (const a of fuzzy) {
      if ((g.get(a.id) ?? 0) === 0)
        falsePositives.push(`p${p} ${a.id} ${JSON.stringify(a.coveredText)} → ${a.synonym}`);
    }
    lostLegible += pageLost;
    recovered += pageRec;
    // Character error rate of the OCR (Levenshtein on squashed text, in 2,000-char windows to stay cheap).
    const a = squash(pages[p]);
    const b = hay;
    chars += a.length;
    charErrors += roughCer(a, b);
    const s = styles[p];
    rows.push(
      `| ${p} | ${s.font.replace(/^.*\//, "")} | ${s.dpi} | ${s.blur} | ${s.noise} | ${s.rotate} | ${pg} | ${ltp} | ${ftp} | ${total(fb) - ftp} | ${pageLost} | ${pageRec} |`,
    );
  }
  console.log(`GO lexicon: ${entries.length} terms; ${pages.length} pages; OCR ${ocrSeconds.toFixed(1)} s`);
  console.log(
    "| page | font | dpi | blur | noise | rotate | gold | lower TP | fuzzy TP | fuzzy FP | lost legible | recovered |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log("");
  console.log(`OCR character error rate (approx.): ${pct(charErrors / chars)}`);
  console.log(`gold mentions (lower on clean text): ${gold}`);
  console.log(
    `legible ceiling: ${legible} (${pct(legible / gold)}) where OCR put them; ${legibleAnywhere} anywhere on their page`,
  );
  console.log(`lower on OCR:  recall ${pct(lowerTp / gold)}  precision ${pct(lowerTp / lowerN)}`);
  console.log(
    `fuzzy on OCR:  recall ${pct(fuzzyTp / gold)}  precision ${pct(fuzzyTp / fuzzyN)}  (threshold ${o.threshold})`,
  );
  console.log(
    `lost by lower and legible: ${lostLegible}; recovered by fuzzy: ${recovered} (${pct(recovered / Math.max(1, lostLegible))})`,
  );
  console.log(
    `  the earlier rounds' measure (legible anywhere on the page, ids counted per page): lost ${lostAnywhere}, recovered ${recoveredAnywhere} (${pct(recoveredAnywhere / Math.max(1, lostAnywhere))})`,
  );
  console.log(`\nfirst misses:\n  ${misses.slice(0, o.show).join("\n  ")}`);
  console.log(`\nfirst fuzzy false positives:\n  ${falsePositives.slice(0, o.show).join("\n  ")}`);
}

/** Edit distance between `a` and `b` over aligned windows (an approximation of the full distance). */
function roughCer(a: string, b: string): number {
  let errors = 0;
  const w = 1000;
  const ratio = b.length / Math.max(1, a.length);
  for (let i = 0; i < a.length; i += w) {
    const x = a.slice(i, i + w);
    const y = b.slice(Math.round(i * ratio), Math.round((i + w) * ratio));
    errors += lev(x, y);
  }
  return errors;
}

function lev(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

if (process.argv[1]?.endsWith("run.js")) await main();
