/**
 * bench/quality/synthetic: fuzzy precision and recall at scale, where the GO pages of bench/quality
 * cannot tell: State of the Union addresses with synthetic OCR noise (src/fuzzy/ocr-noise: about one
 * word in four garbled) against a dictionary of the first N real names of names-all.tsv (taxa, genes,
 * places, ChEBI, GO). Gold: what `lower` finds on the clean text; an annotation on the noisy text is
 * right when an unclaimed gold mention of its id stands where the alignment of the two texts puts it
 * (bench/quality/align.ts). A large general dictionary is where loose readings cost precision (taxa
 * named This, Erica, Thera), which the 43k GO terms do not show.
 *
 * Usage: npm run build && node dist/bench/quality/synthetic.js [1M] [--docs 60] [--show 30]
 * (`--show N`: the first N fuzzy annotations that are not right, with what the clean text has there).
 * Data: `bash bench/data/prepare-names.sh` (as bench/fuzzy).
 */
import { type Annotation, Annotator } from "../../src/annotate/annotator.js";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { fuzzyAnnotate } from "../../src/fuzzy/index.js";
import { ocrNoise } from "../../src/fuzzy/ocr-noise.js";
import { loadNames } from "../fuzzy/run.js";
import { sotuDocs } from "../tagging/data.js";
import { PageAlignment } from "./align.js";

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
  if (!m) throw new Error(`bad size ${s}: give e.g. 100k or 1M`);
  return Math.round(Number(m[1]) * (m[2] === "" ? 1 : m[2].toLowerCase() === "k" ? 1e3 : 1e6));
}

function main(): void {
  const args = process.argv.slice(2);
  let names = 1_000_000;
  let docs = 60;
  let show = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--docs") docs = Number(args[++i]);
    else if (args[i] === "--show") show = Number(args[++i]);
    else names = parseSize(args[i]);
  }
  const lex = new Lexicon("names", loadNames(names));
  const annotator = new Annotator();
  let gold = 0;
  const found = { lower: { tp: 0, n: 0 }, fuzzy: { tp: 0, n: 0 } };
  const wrong: string[] = [];
  const sample = sotuDocs().slice(0, docs);
  for (let i = 0; i < sample.length; i++) {
    const clean = sample[i].text;
    const noisy = ocrNoise(clean, { seed: i + 1 });
    const al = new PageAlignment(clean, noisy);
    const spans = annotator
      .annotate(clean, [lex], { matching: "lower" })
      .map((a) => ({ id: a.id, ...al.ocrSpan(a.begin, a.end) }));
    gold += spans.length;
    const score = (
      anns: readonly Pick<Annotation, "id" | "begin" | "end" | "coveredText" | "synonym">[],
      log = false,
    ) => {
      const used = new Uint8Array(spans.length);
      let tp = 0;
      for (const a of anns) {
        const s = al.squashedOcr(a.begin, a.end);
        const k = spans.findIndex(
          (x, j) => !used[j] && x.id === a.id && x.begin < s.end + 2 && x.end > s.begin - 2,
        );
        if (k >= 0) {
          used[k] = 1;
          tp++;
        } else if (log && wrong.length < show) {
          const from = al.clean.origin[Math.max(0, al.cleanOffset(s.begin) - 8)];
          const to = al.clean.origin[Math.min(al.clean.text.length, al.cleanOffset(s.end) + 8)];
          wrong.push(
            `${JSON.stringify(a.coveredText)} → ${a.synonym}; clean: ${JSON.stringify(clean.slice(from, to))}`,
          );
        }
      }
      return tp;
    };
    const lower = annotator.annotate(noisy, [lex], { matching: "lower" });
    const fuzzy = fuzzyAnnotate(noisy, [lex]);
    found.lower.tp += score(lower);
    found.lower.n += lower.length;
    found.fuzzy.tp += score(fuzzy, true);
    found.fuzzy.n += fuzzy.length;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    `${names.toLocaleString("en")} names; ${docs} SOTU documents with synthetic OCR noise; gold ${gold}`,
  );
  console.log("| mode | recall | precision | annotations |");
  console.log("|---|---:|---:|---:|");
  for (const [mode, f] of Object.entries(found))
    console.log(
      `| ${mode} on the noisy text | ${pct(f.tp / gold)} | ${pct(f.tp / Math.max(1, f.n))} | ${f.n} |`,
    );
  if (wrong.length > 0) console.log(`\nfuzzy annotations not in the gold:\n  ${wrong.join("\n  ")}`);
}

if (process.argv[1]?.endsWith("synthetic.js")) main();
