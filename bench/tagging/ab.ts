/**
 * bench/tagging/ab: two builds of soda side by side in one process (the "before and after" of a
 * change): both annotate the same SOTU documents against the same dictionary; the script checks that
 * their annotations are identical document by document, then times them alternately, three runs each,
 * in MB per CPU-second, and prints the median ratio.
 *
 * Usage (build the old tree into another directory first, for example
 * `git stash && npx tsc -p tsconfig.build.json --outDir ../ab/old && git stash pop`; the directory needs
 * a `node_modules` beside it, a symbolic link to this one's will do):
 *   node dist/bench/tagging/ab.js --old ../ab/old [--new dist] [--names 1M] [--modes exact,lower]
 *     [--seconds 2] [--non-ascii]
 * `--non-ascii` puts accented and Greek words into every document (the analyzer's non-ASCII path).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadDictionary, prepareDictionary, sotuDocs } from "./data.js";

interface Build {
  Lexicon: new (name: string, entries: unknown) => { forMode(mode: string): unknown };
  Annotator: new () => {
    annotate(text: string, lexicons: unknown[], options: { matching: string }): unknown[];
  };
}

async function build(dir: string): Promise<Build> {
  const root = resolve(dir);
  const lexicon = await import(`${root}/src/annotate/lexicon.js`);
  const annotator = await import(`${root}/src/annotate/annotator.js`);
  return { Lexicon: lexicon.Lexicon, Annotator: annotator.Annotator };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s);
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * (m[2] === "" ? 1 : m[2].toLowerCase() === "k" ? 1e3 : 1e6));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      old: { type: "string" },
      new: { type: "string", default: resolve(fileURLToPath(import.meta.url), "../../..") },
      names: { type: "string", default: "1M" },
      modes: { type: "string", default: "exact,lower" },
      seconds: { type: "string", default: "2" },
      "non-ascii": { type: "boolean", default: false },
    },
  });
  if (!values.old) throw new Error("--old DIR (a build of the code to compare with) is required");
  const size = parseSize(values.names);
  const seconds = Number(values.seconds);
  await prepareDictionary(size);
  const dict = loadDictionary(size);
  let docs = sotuDocs();
  if (values["non-ascii"])
    docs = docs.map((d) => ({
      text: `Café β-catenin — ${d.text.replace(/ the /g, " thé ")}`,
      bytes: d.bytes,
    }));
  const a = await build(values.old);
  const b = await build(values.new);
  const run = (f: (text: string) => unknown): number => {
    let bytes = 0;
    let k = 0;
    const t0 = cpuSeconds();
    let t = t0;
    do {
      const d = docs[k++ % docs.length];
      f(d.text);
      bytes += d.bytes;
      t = cpuSeconds();
    } while (t - t0 < seconds);
    return bytes / 1e6 / (t - t0);
  };
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[1];
  console.log(`${size} names, ${docs.length} documents; old ${values.old}, new ${values.new}`);
  console.log("| mode | documents differing | old MB per CPU-s | new MB per CPU-s | median ratio |");
  console.log("|---|---:|---|---|---:|");
  for (const matching of values.modes.split(",")) {
    const la = new a.Lexicon("b", dict.entries);
    const lb = new b.Lexicon("b", dict.entries);
    la.forMode(matching);
    lb.forMode(matching);
    const aa = new a.Annotator();
    const ab = new b.Annotator();
    let differing = 0;
    for (const d of docs) {
      const x = JSON.stringify(aa.annotate(d.text, [la], { matching }));
      const y = JSON.stringify(ab.annotate(d.text, [lb], { matching }));
      if (x !== y) differing++;
    }
    const ra: number[] = [];
    const rb: number[] = [];
    for (let r = 0; r < 3; r++) {
      ra.push(run((s) => aa.annotate(s, [la], { matching })));
      rb.push(run((s) => ab.annotate(s, [lb], { matching })));
    }
    const f = (v: number[]) => v.map((x) => x.toFixed(1)).join(", ");
    console.log(
      `| ${matching} | ${differing} | ${f(ra)} | ${f(rb)} | ${(median(rb) / median(ra)).toFixed(3)}x |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
