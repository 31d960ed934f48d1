/**
 * bench/fuzzy: the fuzzy mode's throughput (MB/s per core) next to `lower` on the same texts, with
 * dictionaries of the first N real names of $SODA_BENCH_DATA/names-all.tsv (ids starting `word:` left out).
 * Texts: State of the Union addresses (clean), and the same with synthetic OCR noise (src/fuzzy/ocr-noise).
 * One thread; MB per CPU-second of this process (`process.cpuUsage`: the machine is shared, wall time is
 * noisy). "cold": after a warm-up on 20 documents, one pass over all the documents, so each new word
 * costs its candidate generation once (the memo of a long-running process starts out like this);
 * "warm": then documents in a loop for `--seconds` CPU-seconds. Index builds are timed apart. The fuzzy
 * code is JIT-compiled first on other documents of the corpus against a 1,000-name lexicon, and again
 * just before each cold pass (building a large index runs several major GCs, after which V8 may have
 * dropped the compiled code: the cold pass would pay for compiling it again, on background threads
 * that `process.cpuUsage` counts); that lexicon's index is its own, so the measured index stays cold.
 *
 * A third text, real OCR output: the Tesseract readings of bench/quality's pages (GO definitions) in
 * `--ocr DIR` (default /tmp/soda-quality-120, made by `node dist/bench/quality/run.js --pages 120 --work
 * /tmp/soda-quality-120`), one document per page; left out when the directory has none.
 *
 * Usage: npm run build && node --expose-gc dist/bench/fuzzy/run.js [100k 1M] [--seconds 5] [--no-rejit]
 *          [--ocr DIR]
 * (`--no-rejit`: no JIT warm-up before each cold pass, as the benchmark was before 2026-12-04).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Annotator } from "../../src/annotate/annotator.js";
import { type Entry, Lexicon } from "../../src/annotate/lexicon.js";
import { fuzzyAnnotate, fuzzyIndex } from "../../src/fuzzy/index.js";
import { ocrNoise } from "../../src/fuzzy/ocr-noise.js";
import { BENCH_DATA } from "../fst/keys.js";
import { sotuDocs } from "../tagging/data.js";

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * (m[2] === "" ? 1 : m[2].toLowerCase() === "k" ? 1e3 : 1e6));
}

/** The first `n` names of names-all.tsv whose id does not start with `word:`, grouped by id. */
export function loadNames(n: number, file = join(BENCH_DATA, "names-all.tsv")): Entry[] {
  const text = readFileSync(file, "utf8");
  const byId = new Map<string, string[]>();
  let count = 0;
  let start = 0;
  while (start < text.length && count < n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const id = line.slice(0, tab);
    if (id.startsWith("word:")) continue;
    const name = line.slice(tab + 1);
    let list = byId.get(id);
    if (!list) {
      list = [];
      byId.set(id, list);
    }
    list.push(name);
    count++;
  }
  return [...byId].map(([id, names]) => ({ id, names }));
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** MB per CPU-second of `run` over `docs`: one cold pass, then a warm loop of `seconds`. */
function measure(
  docs: string[],
  seconds: number,
  run: (t: string) => number,
): { cold: number; warm: number; hitsPerMb: number } {
  for (const d of docs.slice(0, 20)) run(d);
  let bytes = 0;
  let hits = 0;
  let t0 = process.cpuUsage();
  for (const d of docs) {
    hits += run(d);
    bytes += Buffer.byteLength(d);
  }
  const cold = bytes / 1e6 / cpuSeconds(t0);
  const hitsPerMb = hits / (bytes / 1e6);
  bytes = 0;
  t0 = process.cpuUsage();
  let i = 0;
  while (cpuSeconds(t0) < seconds) {
    const d = docs[i++ % docs.length];
    run(d);
    bytes += Buffer.byteLength(d);
  }
  return { cold, warm: bytes / 1e6 / cpuSeconds(t0), hitsPerMb };
}

/**
 * Compiles the fuzzy code paths (a lexicon of 1,000 names kept for this, 40 texts that are not measured,
 * clean and with noise), so that a cold pass does not pay for the JIT. Costs about 0.1 CPU-second.
 */
function warmUpJit(): void {
  // Cloned: the names are slices of the whole names file, which a kept lexicon would keep alive.
  jitLexicon ??= new Lexicon("jit", structuredClone(loadNames(1000)));
  for (const d of jitDocs) fuzzyAnnotate(d, [jitLexicon]);
}
let jitLexicon: Lexicon | undefined;
let jitDocs: string[] = [];

function main(): void {
  const args = process.argv.slice(2);
  let seconds = 5;
  let ocrDir = "/tmp/soda-quality-120";
  const sizes: number[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--seconds") seconds = Number(args[++i]);
    else if (args[i] === "--ocr") ocrDir = args[++i];
    else if (args[i] === "--no-rejit") continue;
    else sizes.push(parseSize(args[i]));
  }
  if (sizes.length === 0) sizes.push(100_000, 1_000_000);
  const all = sotuDocs();
  const clean = all.slice(0, 400).map((d) => d.text);
  jitDocs = all.slice(400, 440).flatMap((d, i) => [d.text, ocrNoise(d.text, { seed: 1000 + i })]);
  const noisy = clean.map((t, i) => ocrNoise(t, { seed: i + 1 }));
  const texts: [string, string[]][] = [
    ["sotu", clean],
    ["sotu+ocr-noise", noisy],
  ];
  const tesseract = existsSync(ocrDir)
    ? readdirSync(ocrDir)
        .filter((f) => f.endsWith(".ocr.txt"))
        .sort()
        .map((f) => readFileSync(join(ocrDir, f), "utf8"))
    : [];
  if (tesseract.length > 0) texts.push(["GO pages, Tesseract", tesseract]);
  warmUpJit();
  console.log(
    `MB per CPU-second; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    "| names | text | MB | lower cold | lower warm | fuzzy cold | fuzzy warm | fuzzy/lower (cold) | lower hits/MB | fuzzy hits/MB | fuzzy index build CPU-s | heap MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const n of sizes) {
    const entries = loadNames(n);
    const lex = new Lexicon("bench", entries);
    const annotator = new Annotator();
    annotator.annotate("warm", [lex], { matching: "lower" });
    const t0 = process.cpuUsage();
    fuzzyIndex(lex);
    const build = cpuSeconds(t0);
    globalThis.gc?.();
    const heap = process.memoryUsage().heapUsed / 1e6;
    for (const [name, docs] of texts) {
      const mb = docs.reduce((a, d) => a + Buffer.byteLength(d), 0) / 1e6;
      const lower = measure(docs, seconds, (t) => annotator.annotate(t, [lex], { matching: "lower" }).length);
      if (!process.argv.includes("--no-rejit")) warmUpJit();
      const fuzzy = measure(docs, seconds, (t) => fuzzyAnnotate(t, [lex]).length);
      console.log(
        `| ${n.toLocaleString("en")} | ${name} | ${mb.toFixed(1)} | ${lower.cold.toFixed(1)} | ${lower.warm.toFixed(1)} | ${fuzzy.cold.toFixed(1)} | ${fuzzy.warm.toFixed(1)} | ${(fuzzy.cold / lower.cold).toFixed(2)} | ${lower.hitsPerMb.toFixed(0)} | ${fuzzy.hitsPerMb.toFixed(0)} | ${build.toFixed(1)} | ${heap.toFixed(0)} |`,
      );
    }
  }
}

if (process.argv[1]?.endsWith("run.js")) {
  main();
  console.log(
    `load average at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
}
