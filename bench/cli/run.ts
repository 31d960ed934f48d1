/**
 * bench/cli: `soda annotate` end to end (process start, opening the data directory, reading JSONL,
 * tagging, writing JSONL) on a ~50 MB corpus against a 1M-name lexicon, beside the in-process
 * Annotator on the same documents, in MB per CPU-second (the child's user + system time from
 * /usr/bin/time; MB = 10^6 UTF-8 bytes of the documents' text).
 *
 * Usage: npm run bench:cli [-- NAMES] [--mb 50] [--modes exact,lower]
 * Data: bench/tagging's dictionary of NAMES real names and its SOTU documents, repeated up to --mb;
 * the data directory and corpus are written under a temporary directory and removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Annotator } from "../../src/annotate/annotator.js";
import { LexiconStore } from "../../src/lexicon/store.js";
import { isStreamingMode, type StreamingMode } from "../../src/text/modes.js";
import { loadDictionary, prepareDictionary, sotuDocs } from "../tagging/data.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mb: { type: "string", default: "50" }, modes: { type: "string", default: "exact,lower" } },
});
const names = Number(positionals[0] ?? 1_000_000);
const targetMb = Number(values.mb);
const modes = values.modes.split(",").filter(isStreamingMode) as StreamingMode[];

const cpuSeconds = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

async function main(): Promise<void> {
  await prepareDictionary(names);
  const dict = loadDictionary(names);
  const dir = mkdtempSync(join(tmpdir(), "soda-bench-cli-"));
  try {
    const dataDir = join(dir, "data");
    const store = LexiconStore.open(dataDir);
    for (let i = 0; i < dict.entries.length; i += 10_000)
      store.add("names", dict.entries.slice(i, i + 10_000));
    store.commit("names");
    // The corpus: SOTU documents repeated (new ids) up to the target size.
    const docs = sotuDocs();
    const lines: string[] = [];
    let bytes = 0;
    for (let k = 0; bytes < targetMb * 1e6; k++) {
      const d = docs[k % docs.length];
      lines.push(JSON.stringify({ id: `doc-${k}`, text: d.text }));
      bytes += d.bytes;
    }
    const input = join(dir, "corpus.jsonl");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const texts = lines.map((l) => (JSON.parse(l) as { text: string }).text);
    console.log(
      `node ${process.version}; ${dict.names} names (${dict.entries.length} entities); corpus ${texts.length} documents, ${(bytes / 1e6).toFixed(1)} MB of text, ${(statSync(input).size / 1e6).toFixed(1)} MB of JSONL`,
    );
    console.log(
      "| mode | way | CPU s | wall s | MB per CPU-second | peak RSS MB | output MB | vs in-process |",
    );
    console.log("|---|---|---:|---:|---:|---:|---:|---:|");
    const cli = fileURLToPath(new URL("../../src/cli/soda.js", import.meta.url));
    for (const mode of modes) {
      // In-process: the Annotator over the same texts (the mode compiled and persisted first, so the
      // CLI below maps it as a restarted service would).
      const lex = store.lexicon("names")!;
      const annotator = new Annotator();
      annotator.annotate(texts[0], [lex], { matching: mode });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const t of texts) annotator.annotate(t, [lex], { matching: mode });
      const inCpu = cpuSeconds(c0);
      const inWall = (performance.now() - t0) / 1000;
      const inRate = bytes / 1e6 / inCpu;
      console.log(
        `| ${mode} | in-process Annotator | ${inCpu.toFixed(2)} | ${inWall.toFixed(2)} | ${inRate.toFixed(1)} | – | – | 1.00x |`,
      );
      await store.idle();
      const output = join(dir, `out-${mode}.jsonl`);
      const r = spawnSync(
        "/usr/bin/time",
        [
          "-f",
          "TIME %e %U %S %M",
          process.execPath,
          cli,
          "annotate",
          "--data-dir",
          dataDir,
          "--lexicon",
          "names",
          "--matching",
          mode,
          "--input",
          input,
          "--output",
          output,
        ],
        { encoding: "utf8", maxBuffer: 1 << 26 },
      );
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
      if (r.status !== 0 || !m)
        throw new Error(`soda annotate failed (${r.status}): ${r.stderr.slice(-2000)}`);
      const cpu = Number(m[2]) + Number(m[3]);
      const rate = bytes / 1e6 / cpu;
      console.log(
        `| ${mode} | soda annotate (process) | ${cpu.toFixed(2)} | ${Number(m[1]).toFixed(2)} | ${rate.toFixed(1)} | ${(Number(m[4]) / 1024).toFixed(0)} | ${(statSync(output).size / 1e6).toFixed(1)} | ${(rate / inRate).toFixed(2)}x |`,
      );
      rmSync(output);
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
