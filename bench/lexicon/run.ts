/**
 * bench/lexicon: the store's figures on real names (issue "Lexicons that last"): bulk load rate, segment
 * bytes per name per mode, the latency of a 100-name commit into the big lexicon, restart-to-serving.
 *
 * Usage: npm run bench:lexicon [-- TOTAL_NAMES]   (default 8000000; real names first, then generated)
 *   SODA_BENCH_KEEP=1 keeps the data directory; `node dist/bench/lexicon/run.js --restart DIR` then
 *   times three restarts of it in new processes, with no bench process alive beside them.
 * Data: $SODA_BENCH_DATA/names-*.tsv (bench/data/prepare-names.sh).
 */
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Annotator } from "../../src/annotate/annotator.js";
import { LexiconStore, type StoredEntry } from "../../src/lexicon/store.js";
import { BENCH_DATA, rng } from "../fst/keys.js";

async function readGrouped(file: string): Promise<StoredEntry[]> {
  const byId = new Map<string, string[]>();
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const tab = line.indexOf("\t");
    if (tab <= 0) continue;
    const id = line.slice(0, tab);
    const names = byId.get(id);
    if (names) names.push(line.slice(tab + 1));
    else byId.set(id, [line.slice(tab + 1)]);
  }
  return Array.from(byId, ([id, names]) => ({ id, names }));
}

const count = (es: readonly StoredEntry[]) => es.reduce((n, e) => n + e.names.length, 0);

function dirBytes(dir: string, suffix: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/**
 * Loads entries as `soda load` does (a bulk load: batches of 1,000, one transaction, no staging);
 * returns wall seconds and the process's CPU seconds (the machine is shared: both say something).
 */
function load(store: LexiconStore, lexicon: string, entries: readonly StoredEntry[]): [number, number] {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const bulk = store.beginBulk(lexicon);
  for (let i = 0; i < entries.length; i += 1000) bulk.add(entries.slice(i, i + 1000));
  bulk.finish();
  const c = process.cpuUsage(cpu);
  return [(performance.now() - t) / 1000, (c.user + c.system) / 1e6];
}

const rate = (names: number, [wall, cpu]: [number, number]) =>
  `${Math.round(names / wall)} names/s (${Math.round(names / cpu)} per CPU-second)`;

/**
 * Three restarts of the data directory `dir` in new processes: each child opens the store and
 * annotates once in lower, timed inside it from before the open (the import of the code excluded).
 */
function freshRestarts(dir: string, note: string): string[][] {
  const storeModule = fileURLToPath(new URL("../../src/lexicon/store.js", import.meta.url));
  const annotatorModule = fileURLToPath(new URL("../../src/annotate/annotator.js", import.meta.url));
  const child = `
    const { LexiconStore } = await import(${JSON.stringify(storeModule)});
    const { Annotator } = await import(${JSON.stringify(annotatorModule)});
    const t = performance.now();
    const store = LexiconStore.open(${JSON.stringify(dir)});
    const opened = performance.now() - t;
    const a = new Annotator().annotate("Homo sapiens and Novelname0x1 sapiens", [store.lexicon("big")], { matching: "lower" });
    console.log(JSON.stringify({ opened, total: performance.now() - t, found: a.length }));
    store.close();`;
  const rows: string[][] = [];
  for (let r = 0; r < 3; r++) {
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" }),
    ) as { opened: number; total: number; found: number };
    rows.push([
      `restart in a new process, ${note} (run ${r + 1})`,
      `${out.found} annotations`,
      `${out.total.toFixed(0)} ms (open ${out.opened.toFixed(0)} ms)`,
      "",
    ]);
  }
  return rows;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--restart") {
    // Restarts alone, of a directory a run with SODA_BENCH_KEEP=1 kept.
    console.log("| step | data | time | rate / size |\n|---|---|---:|---:|");
    for (const r of freshRestarts(process.argv[3], "alone")) console.log(`| ${r.join(" | ")} |`);
    return;
  }
  const total = Number(process.argv[2] ?? 8_000_000);
  const dir = mkdtempSync(join(tmpdir(), "soda-bench-lexicon-"));
  console.log(
    `node ${process.version}; data dir ${dir}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const rows: string[][] = [];
  let store = LexiconStore.open(dir);

  const chebi = await readGrouped(join(BENCH_DATA, "names-chebi.tsv"));
  const s1 = load(store, "chebi", chebi);
  rows.push([
    "load ChEBI",
    `${chebi.length} entities, ${count(chebi)} names`,
    `${s1[0].toFixed(2)} s (CPU ${s1[1].toFixed(2)} s)`,
    rate(count(chebi), s1),
  ]);

  let big: StoredEntry[] = await readGrouped(join(BENCH_DATA, "names-taxa.tsv"));
  const real = count(big);
  {
    const genera = big.map((e) => e.names[0].split(" ")[0]);
    const epithets = big.map((e) => e.names[0].split(" ").slice(1).join(" ")).filter((s) => s.length > 0);
    const rand = rng(9);
    let g = 0;
    // Top up with recombined taxon names (a genus with another species epithet), as bench/fst does.
    for (let n = real; n < total; n++)
      big.push({
        id: `gen:${g++}`,
        names: [
          `${genera[Math.floor(rand() * genera.length)]} ${epithets[Math.floor(rand() * epithets.length)]} ${g}`,
        ],
      });
  }
  const s2 = load(store, "big", big);
  const bigNames = count(big);
  rows.push([
    "load taxonomy (+ generated)",
    `${big.length} entities, ${bigNames} names (${real} real)`,
    `${s2[0].toFixed(2)} s (CPU ${s2[1].toFixed(2)} s)`,
    rate(bigNames, s2),
  ]);
  // Let the input go, as a server compiling a mode or restarting would not hold it: the ~2 GB of entry
  // objects would otherwise make every full collection of the steps below mark them again.
  big = [];

  const annotator = new Annotator();
  for (const mode of ["lower", "exact"] as const) {
    const t = performance.now();
    annotator.annotate("Homo sapiens", [store.lexicon("big")!], { matching: mode });
    const s = (performance.now() - t) / 1000;
    const bytes = dirBytes(join(dir, "segments", "big"), `.${mode}.fst`);
    rows.push([
      `first use of ${mode} (compile all segments)`,
      `${bigNames} names`,
      `${s.toFixed(2)} s`,
      `${(bytes / bigNames).toFixed(1)} bytes/name`,
    ]);
  }
  const ent = dirBytes(join(dir, "segments", "big"), ".ent");
  rows.push(["entities file", "", "", `${(ent / bigNames).toFixed(1)} bytes/name`]);

  const lat: number[] = [];
  for (let r = 0; r < 5; r++) {
    const batch = Array.from({ length: 100 }, (_, i) => ({
      id: `new${r}-${i}`,
      names: [`Novelname${r}x${i} sapiens`],
    }));
    const t = performance.now();
    store.add("big", batch, { commit: true });
    const found = annotator.annotate(`Novelname${r}x42 sapiens`, [store.lexicon("big")!], {
      matching: "lower",
    });
    lat.push(performance.now() - t);
    if (found.length !== 1) throw new Error("committed names not visible");
  }
  lat.sort((a, b) => a - b);
  rows.push([
    "commit 100 names into the big lexicon, then tag",
    "lower + exact compiled",
    `median ${lat[2].toFixed(1)} ms, max ${lat[4].toFixed(1)} ms`,
    "",
  ]);

  store.close();
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    store = LexiconStore.open(dir);
    const opened = performance.now() - t;
    const a = annotator.annotate("Homo sapiens and Novelname0x1 sapiens", [store.lexicon("big")!], {
      matching: "lower",
    });
    const restart = performance.now() - t;
    rows.push([
      `restart to first annotation (run ${r + 1})`,
      `${a.length} annotations`,
      `${restart.toFixed(0)} ms (open ${opened.toFixed(0)} ms)`,
      "",
    ]);
    store.close();
  }

  // A real restart is a new process (see freshRestarts); here this process and its heap of several GB
  // are still alive, which slowed the children's open 2-4x in this VM: `--restart DIR` measures it alone.
  rows.push(...freshRestarts(dir, "while the bench process lives"));

  console.log("| step | data | time | rate / size |\n|---|---|---:|---:|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  // SODA_BENCH_KEEP=1 keeps the data directory, to measure restarts alone afterwards.
  if (process.env.SODA_BENCH_KEEP === "1")
    console.log(`kept ${dir}: node dist/bench/lexicon/run.js --restart ${dir}, then remove it`);
  else rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
