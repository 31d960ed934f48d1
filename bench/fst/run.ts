/**
 * bench/fst: the FST beside a JS Map and mnemonist's TrieMap on the same keys.
 *
 * For each size, every approach runs in a child process of this one on the same key file (so that peak
 * RSS is each approach's own), and this process prints one table with the ratios.
 * Usage: npm run bench:fst [-- 100000 1000000 8000000]
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TrieMap } from "mnemonist";
import { FstMapBuilder, RawFst } from "../../src/fst/index.js";
import { loadKeys, prepareKeys, rng } from "./keys.js";

interface Result {
  approach: string;
  keys: number;
  buildSeconds: number;
  bytes: number;
  peakRssMb: number;
  baseRssMb: number;
  lookupsPerSecond: number;
}

const LOOKUPS = 1_000_000;

function gcHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

function child(approach: string, file: string): Result {
  const { buf, starts, ends } = loadKeys(file);
  const n = starts.length;
  const rand = rng(7);
  const probes = new Uint32Array(LOOKUPS);
  for (let i = 0; i < LOOKUPS; i++) probes[i] = Math.floor(rand() * n);
  let strings: string[] = [];
  if (approach !== "fst") strings = Array.from(starts, (s, i) => buf.toString("utf8", s, ends[i]));
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const before = gcHeap();
  let t = performance.now();
  let lookup: (i: number) => number;
  let bytes: number;
  if (approach === "fst") {
    const b = new FstMapBuilder();
    for (let i = 0; i < n; i++) b.insert(buf.subarray(starts[i], ends[i]), i);
    const fst = RawFst.load(b.finishBytes());
    bytes = fst.data.length;
    lookup = (i) => fst.get(buf, starts[i], ends[i]);
  } else if (approach === "map") {
    const m = new Map<string, number>();
    for (let i = 0; i < n; i++) m.set(strings[i], i);
    lookup = (i) => m.get(strings[i])!;
    bytes = -1;
  } else {
    const m = new TrieMap<string, number>();
    for (let i = 0; i < n; i++) m.set(strings[i], i);
    lookup = (i) => m.get(strings[i])!;
    bytes = -1;
  }
  const buildSeconds = (performance.now() - t) / 1000;
  // The competitors hold their keys as strings: count them (the FST holds its keys itself).
  if (bytes < 0) {
    bytes = gcHeap() - before + stringBytes(buf.length, n);
  }
  t = performance.now();
  let bad = 0;
  for (let i = 0; i < LOOKUPS; i++) if (lookup(probes[i]) !== probes[i]) bad++;
  const lookupsPerSecond = LOOKUPS / ((performance.now() - t) / 1000);
  if (bad > 0) throw new Error(`${approach}: ${bad} wrong lookups`);
  return {
    approach,
    keys: n,
    buildSeconds,
    bytes,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb,
    lookupsPerSecond,
  };
}

/** Approximate heap size of the key strings (V8 sequential strings: 16-byte header + content). */
function stringBytes(utf8Bytes: number, n: number): number {
  return 16 * n + utf8Bytes;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    process.stdout.write(JSON.stringify(child(args[1], args[2])));
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : [100_000, 1_000_000, 8_000_000];
  const self = fileURLToPath(import.meta.url);
  const rows: Result[] = [];
  console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
  console.log(
    "| keys | real | approach | build s | build keys/s | bytes/key | peak RSS MB | RSS before build MB | lookups/s | vs Map: build | vs Map: size | vs Map: lookups |",
  );
  console.log("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const n of sizes) {
    const { file, real } = await prepareKeys(n);
    // TrieMap takes ~20 s and ~1 GB per million keys (stack.md): it cannot hold 8M keys in reasonable time.
    const approaches = n <= 1_000_000 ? ["fst", "map", "triemap"] : ["fst", "map"];
    const byApproach = new Map<string, Result>();
    for (const a of approaches) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", "--max-old-space-size=16000", self, "--child", a, file],
        {
          maxBuffer: 1 << 20,
        },
      );
      const r = JSON.parse(out.toString()) as Result;
      byApproach.set(a, r);
      rows.push(r);
    }
    const map = byApproach.get("map")!;
    for (const a of approaches) {
      const r = byApproach.get(a)!;
      console.log(
        `| ${fmt(r.keys)} | ${fmt(real)} | ${a} | ${fmt(r.buildSeconds, 2)} | ${fmt(r.keys / r.buildSeconds)} | ${fmt(r.bytes / r.keys, 1)} | ${fmt(r.peakRssMb)} | ${fmt(r.baseRssMb)} | ${fmt(r.lookupsPerSecond)} | ${fmt(map.buildSeconds / r.buildSeconds, 2)}x | ${fmt(map.bytes / r.bytes, 1)}x smaller | ${fmt(r.lookupsPerSecond / map.lookupsPerSecond, 2)}x |`,
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
