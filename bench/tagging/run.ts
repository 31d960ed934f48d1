/**
 * bench/tagging: soda's Annotator beside modern-ahocorasick and a naive token-n-gram `Map` matcher, on
 * real text (State of the Union addresses) and generated text with planted names, with dictionaries
 * of real names (see data.ts). Prints one markdown table with MB/s (wall clock and per CPU-second) and ratios.
 *
 * For each size, each approach runs in a child process of this one (so that its peak RSS is its own
 * and one approach's garbage does not slow the next). Every measurement runs on one thread (MB/s is
 * per core): a warm-up, then whole documents in a loop for `--seconds`. MB are UTF-8 bytes of the
 * documents as given (`Buffer.byteLength`), 10^6 bytes each; compile/build time is excluded. Rates
 * are printed per wall-clock second and per CPU-second of the child; ratios, scaling and goals use the
 * CPU-second rate (the per-core figure, which other jobs on the machine do not halve).
 *
 * Usage: npm run bench:tagging [-- 10k 100k 1M 8M] [--seconds 3] [--modes exact,lower,stem3]
 *          [--approaches soda,ac,naive,naive-prefix] [--texts sotu,gen] [--gen-mb 4]
 * One child alone (e.g. under --cpu-prof):
 *   node --expose-gc dist/bench/tagging/run.js --child soda 1M --modes lower --texts sotu --seconds 10
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import AhoCorasick from "modern-ahocorasick";
import { Annotator } from "../../src/annotate/annotator.js";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { findMatches, Matches, prepareTagging } from "../../src/annotate/tagger.js";
import { AnalyzedText, Analyzer } from "../../src/text/analyzer.js";
import { isStreamingMode, type StreamingMode } from "../../src/text/modes.js";
import { type Doc, generatedDocs, loadDictionary, prepareDictionary, sotuDocs } from "./data.js";
import { NaiveMatcher } from "./naive.js";

interface Options {
  sizes: number[];
  seconds: number;
  modes: StreamingMode[];
  approaches: string[];
  texts: string[];
  genMb: number;
}

interface Row {
  size: number;
  real: number;
  entries: number;
  text: string;
  textMb: number;
  docs: number;
  approach: string;
  mode: string;
  buildSeconds: number;
  mbPerSecond: number;
  mbPerCpuSecond: number;
  /** What the approach returns, per MB: soda annotations (overlaps resolved), AC matches, naive hits. */
  hitsPerMb: number;
  /** Candidate spans before overlap resolution, per MB (soda: findMatches; others: = hits). */
  spansPerMb: number;
  peakRssMb: number;
  note: string;
}

const APPROACHES = ["soda", "ac", "naive", "naive-prefix"];

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
  if (!m) throw new Error(`bad size ${s}`);
  const mult = m[2] === "" ? 1 : m[2].toLowerCase() === "k" ? 1e3 : 1e6;
  return Math.round(Number(m[1]) * mult);
}

function parseOptions(args: string[]): Options {
  const o: Options = {
    sizes: [],
    seconds: 3,
    modes: ["exact", "lower", "stop", "stem1", "stem2", "stem3"],
    approaches: APPROACHES,
    texts: ["sotu", "gen"],
    genMb: 4,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--seconds") o.seconds = Number(args[++i]);
    else if (a === "--gen-mb") o.genMb = Number(args[++i]);
    else if (a === "--texts") o.texts = args[++i].split(",");
    else if (a === "--approaches") o.approaches = args[++i].split(",");
    else if (a === "--modes") {
      o.modes = args[++i].split(",").map((m) => {
        if (!isStreamingMode(m)) throw new Error(`not a streaming mode: ${m}`);
        return m;
      });
    } else o.sizes.push(parseSize(a));
  }
  if (o.sizes.length === 0) o.sizes = [10_000, 100_000, 1_000_000];
  return o;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Measure {
  /** MB per second of wall-clock time. */
  mbPerSecond: number;
  /** MB per CPU-second of this (single-threaded) process: the per-core rate, robust to other load. */
  mbPerCpuSecond: number;
  hitsPerMb: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Runs `f` over the documents in a loop: a warm-up of a third of `seconds` (at most 2 s), then whole
 * documents until `seconds` have passed. Hits are counted over the first pass only (all of it when the
 * approach gets through the corpus, else the prefix it covered: the documents are shuffled, so a
 * prefix is a fair sample).
 */
function measure(docs: readonly Doc[], f: (text: string) => number, seconds: number): Measure {
  gc();
  const n = docs.length;
  const warm = Math.min(2, seconds / 3) * 1000;
  let sink = 0;
  let t0 = performance.now();
  for (let i = n - 1; performance.now() - t0 < warm; i = (i + n - 1) % n) sink += f(docs[i].text);
  let bytes = 0;
  let hits = 0;
  let hitBytes = 0;
  let k = 0;
  t0 = performance.now();
  const c0 = cpuNow();
  let t = t0;
  do {
    const d = docs[k % n];
    const h = f(d.text);
    bytes += d.bytes;
    if (k < n) {
      hits += h;
      hitBytes += d.bytes;
    }
    k++;
    t = performance.now();
  } while (t - t0 < seconds * 1000);
  const cpu = cpuNow() - c0;
  if (sink < 0) console.error(sink);
  return {
    mbPerSecond: bytes / 1e6 / ((t - t0) / 1000),
    mbPerCpuSecond: bytes / 1e6 / cpu,
    hitsPerMb: hits / (hitBytes / 1e6),
  };
}

function child(approach: string, size: number, o: Options): Row[] {
  const dict = loadDictionary(size);
  const texts = new Map<string, Doc[]>();
  for (const t of o.texts)
    texts.set(t, t === "sotu" ? sotuDocs() : generatedDocs(dict.entries, o.genMb * 1e6));
  const rows: Row[] = [];
  const row = (
    text: string,
    mode: string,
    buildSeconds: number,
    m: Measure,
    spansPerMb: number,
    note = "",
  ) => {
    const docs = texts.get(text)!;
    rows.push({
      size,
      real: dict.real,
      entries: dict.entries.length,
      text,
      textMb: docs.reduce((s, d) => s + d.bytes, 0) / 1e6,
      docs: docs.length,
      approach,
      mode,
      buildSeconds,
      ...m,
      spansPerMb,
      peakRssMb: 0,
      note,
    });
    console.error(
      `  ${size} ${text} ${approach} ${mode}: build ${buildSeconds.toFixed(2)} s, ${m.mbPerSecond.toFixed(2)} MB/s, ${m.mbPerCpuSecond.toFixed(2)} MB per CPU-s, ${m.hitsPerMb.toFixed(0)} hits/MB ${note}`,
    );
  };
  if (approach === "soda") {
    const annotator = new Annotator();
    for (const mode of o.modes) {
      gc();
      const lex = new Lexicon("bench", dict.entries);
      const t = performance.now();
      const compiled = lex.forMode(mode);
      const buildSeconds = (performance.now() - t) / 1000;
      // The first-token filter fills a slice per call; complete it here, as the compile is excluded.
      const filterMs = prepareTagging(compiled);
      const keys = compiled.postStart.length - 1;
      const note = `${keys} keys, FST ${(compiled.fst.data.length / 2 ** 20).toFixed(1)} MiB, filter ${filterMs.toFixed(0)} ms`;
      const lexicons = [lex];
      const opts = { matching: mode };
      // Candidate spans (before overlap resolution), counted once, untimed.
      const analyzer = new Analyzer(mode);
      const at = new AnalyzedText();
      const mt = new Matches();
      for (const [text, docs] of texts) {
        let spans = 0;
        let b = 0;
        for (const d of docs) {
          mt.reset();
          spans += findMatches(compiled, analyzer.analyze(d.text, at), mt).count;
          b += d.bytes;
        }
        const m = measure(docs, (s) => annotator.annotate(s, lexicons, opts).length, o.seconds);
        row(text, mode, buildSeconds, m, spans / (b / 1e6), note);
      }
    }
  } else if (approach === "ac") {
    const names = new Set<string>();
    for (const e of dict.entries) for (const name of e.names) names.add(name.toLowerCase());
    const patterns = [...names];
    names.clear();
    gc();
    const t = performance.now();
    const ac = new AhoCorasick(patterns);
    const buildSeconds = (performance.now() - t) / 1000;
    for (const [text, docs] of texts) {
      const m = measure(docs, (s) => ac.search(s.toLowerCase()).length, o.seconds);
      row(text, "search", buildSeconds, m, m.hitsPerMb, `${patterns.length} patterns`);
      const c = measure(docs, (s) => ac.count(s.toLowerCase()), o.seconds);
      row(text, "count", buildSeconds, c, c.hitsPerMb, `${patterns.length} patterns`);
    }
  } else if (approach === "naive" || approach === "naive-prefix") {
    gc();
    const t = performance.now();
    const naive = new NaiveMatcher(dict.entries, approach === "naive-prefix");
    const buildSeconds = (performance.now() - t) / 1000;
    for (const [text, docs] of texts) {
      const m = measure(docs, (s) => naive.count(s), o.seconds);
      row(
        text,
        "lower",
        buildSeconds,
        m,
        m.hitsPerMb,
        `${naive.map.size} keys, n-grams up to ${naive.maxTokens}`,
      );
    }
  } else {
    throw new Error(`unknown approach ${approach}`);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  for (const r of rows) r.peakRssMb = peak;
  return rows;
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function sizeLabel(n: number): string {
  return n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n);
}

function printTable(rows: Row[]): void {
  const find = (r: Row, approach: string, mode: string) =>
    rows.find((x) => x.size === r.size && x.text === r.text && x.approach === approach && x.mode === mode);
  const ratio = (r: Row, other: Row | undefined) =>
    other ? `${fmt(r.mbPerCpuSecond / other.mbPerCpuSecond, 1)}x` : "–";
  console.log(
    "\n| names | text | approach | mode | build s | MB/s wall | MB per CPU-s | hits/MB | spans/MB | vs AC search | vs AC count | vs naive | vs naive-prefix | peak RSS MB | notes |",
  );
  console.log("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(
      `| ${sizeLabel(r.size)} | ${r.text} | ${r.approach} | ${r.mode} | ${fmt(r.buildSeconds, 2)} | ${fmt(r.mbPerSecond, r.mbPerSecond < 10 ? 2 : 1)} | ${fmt(r.mbPerCpuSecond, r.mbPerCpuSecond < 10 ? 2 : 1)} | ${fmt(r.hitsPerMb)} | ${fmt(r.spansPerMb)} | ${ratio(r, find(r, "ac", "search"))} | ${ratio(r, find(r, "ac", "count"))} | ${ratio(r, find(r, "naive", "lower"))} | ${ratio(r, find(r, "naive-prefix", "lower"))} | ${fmt(r.peakRssMb)} | ${r.note} |`,
    );
  }
}

function printScaling(rows: Row[], o: Options): void {
  const soda = rows.filter((r) => r.approach === "soda");
  if (o.sizes.length < 2 || soda.length === 0) return;
  const sizes = [...o.sizes].sort((a, b) => a - b);
  console.log(
    `\nsoda MB per CPU-second by dictionary size (slowdown = 1 − the rate at ${sizeLabel(sizes.at(-1)!)} / the rate at ${sizeLabel(sizes[0])})\n`,
  );
  console.log(`| text | mode | ${sizes.map(sizeLabel).join(" | ")} | slowdown |`);
  console.log(`|---|---|${sizes.map(() => "---:|").join("")}---:|`);
  for (const text of o.texts) {
    for (const mode of o.modes) {
      const v = sizes.map(
        (s) => soda.find((r) => r.size === s && r.text === text && r.mode === mode)?.mbPerCpuSecond,
      );
      const first = v[0];
      const last = v.at(-1);
      const slow = first && last ? `${fmt((1 - last / first) * 100)}%` : "–";
      console.log(
        `| ${text} | ${mode} | ${v.map((x) => (x === undefined ? "–" : fmt(x, 1))).join(" | ")} | ${slow} |`,
      );
    }
  }
}

function printGoals(rows: Row[]): void {
  const get = (size: number, text: string, approach: string, mode: string) =>
    rows.find((r) => r.size === size && r.text === text && r.approach === approach && r.mode === mode);
  const lines: string[] = [];
  for (const text of ["sotu", "gen"]) {
    for (const mode of ["exact", "lower"]) {
      const at1m = get(1e6, text, "soda", mode);
      if (at1m)
        lines.push(
          `${text} ${mode} at 1M ≥150 MB per CPU-s: ${fmt(at1m.mbPerCpuSecond, 1)} ${at1m.mbPerCpuSecond >= 150 ? "OK" : "MISS"}`,
        );
      const at8m = get(8e6, text, "soda", mode);
      if (at8m)
        lines.push(
          `${text} ${mode} at 8M ≥120 MB per CPU-s: ${fmt(at8m.mbPerCpuSecond, 1)} ${at8m.mbPerCpuSecond >= 120 ? "OK" : "MISS"}`,
        );
      const at10k = get(1e4, text, "soda", mode);
      if (at8m && at10k) {
        const slow = 1 - at8m.mbPerCpuSecond / at10k.mbPerCpuSecond;
        lines.push(
          `${text} ${mode} 8M vs 10k ≤25% slower: ${fmt(slow * 100)}% ${slow <= 0.25 ? "OK" : "MISS"}`,
        );
      }
      const ac = get(1e6, text, "ac", "search");
      if (at1m && ac) {
        const x = at1m.mbPerCpuSecond / ac.mbPerCpuSecond;
        lines.push(`${text} ${mode} at 1M ≥20x AC search: ${fmt(x)}x ${x >= 20 ? "OK" : "MISS"}`);
      }
      const acc = get(1e6, text, "ac", "count");
      if (at1m && acc) {
        const x = at1m.mbPerCpuSecond / acc.mbPerCpuSecond;
        lines.push(`${text} ${mode} at 1M ≥20x AC count: ${fmt(x, 1)}x ${x >= 20 ? "OK" : "MISS"}`);
      }
    }
    for (const r of rows.filter(
      (x) => x.text === text && x.approach === "soda" && x.mode !== "exact" && x.mode !== "lower",
    )) {
      lines.push(
        `${text} ${r.mode} at ${sizeLabel(r.size)} ≥80 MB per CPU-s: ${fmt(r.mbPerCpuSecond, 1)} ${r.mbPerCpuSecond >= 80 ? "OK" : "MISS"}`,
      );
    }
  }
  if (lines.length > 0) console.log(`\nGoals\n\n${lines.map((l) => `- ${l}`).join("\n")}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    const o = parseOptions(args.slice(3));
    process.stdout.write(JSON.stringify(child(args[1], parseSize(args[2]), o)));
    return;
  }
  const o = parseOptions(args);
  const self = fileURLToPath(import.meta.url);
  const passOn = [
    "--seconds",
    String(o.seconds),
    "--modes",
    o.modes.join(","),
    "--texts",
    o.texts.join(","),
    "--gen-mb",
    String(o.genMb),
  ];
  const rows: Row[] = [];
  for (const n of o.sizes) {
    const t = performance.now();
    await prepareDictionary(n);
    console.error(`dictionary ${sizeLabel(n)} ready (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    for (const a of o.approaches) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", "--max-old-space-size=20000", self, "--child", a, String(n), ...passOn],
        { maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] },
      );
      rows.push(...(JSON.parse(out.toString()) as Row[]));
    }
  }
  const first = rows[0];
  console.log(
    `\nnode ${process.version}, ${process.platform} ${process.arch}; ${o.seconds} s per measurement, one thread`,
  );
  for (const n of o.sizes) {
    const r = rows.find((x) => x.size === n);
    if (r) console.log(`- ${sizeLabel(n)} names (${fmt(r.real)} real), ${fmt(r.entries)} entries`);
  }
  for (const text of o.texts) {
    const r = rows.find((x) => x.text === text);
    if (r) console.log(`- text ${text}: ${fmt(r.textMb, 2)} MB in ${fmt(r.docs)} documents`);
  }
  if (first) {
    printTable(rows);
    printScaling(rows, o);
    printGoals(rows);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
