import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** Where the prepared real name lists live (see bench/data/README.md). */
export const BENCH_DATA = process.env.SODA_BENCH_DATA ?? "/work/bench-data";

/** Deterministic xorshift32 generator, so every run draws the same keys. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

async function readColumn(file: string, col: number, into: Set<string>): Promise<void> {
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const v = line.split("\t")[col];
    if (v) into.add(v);
  }
}

/**
 * Writes (once, cached) a file of `n` distinct keys in byte order, one per line: a deterministic sample
 * of the real names of `names-all.tsv`, topped up with generated multi-word names (two to four words of
 * the word list) when the real ones run out. Returns the path and how many keys are real.
 */
export async function prepareKeys(n: number): Promise<{ file: string; real: number }> {
  const file = join(BENCH_DATA, `fst-keys-${n}.txt`);
  const meta = `${file}.real`;
  if (existsSync(file) && existsSync(meta)) return { file, real: Number(readFileSync(meta, "utf8")) };
  const all = join(BENCH_DATA, "names-all.tsv");
  const names = new Set<string>();
  if (existsSync(all)) await readColumn(all, 1, names);
  let list = [...names];
  const rand = rng(42);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  if (list.length > n) list = list.slice(0, n);
  const real = list.length;
  const words = [...names].filter((w) => !w.includes(" ")).slice(0, 200_000);
  if (words.length < 1000) for (let i = 0; i < 50_000; i++) words.push(Math.floor(rand() * 1e9).toString(36));
  while (names.size < n + (names.size - real) && list.length < n) {
    const k = 2 + Math.floor(rand() * 3);
    const parts: string[] = [];
    for (let i = 0; i < k; i++) parts.push(words[Math.floor(rand() * words.length)]);
    const name = parts.join(" ");
    if (!names.has(name)) {
      names.add(name);
      list.push(name);
    }
  }
  const tmp = `${file}.unsorted`;
  writeFileSync(tmp, `${list.join("\n")}\n`);
  execFileSync("sort", ["-u", "-o", file, tmp], { env: { ...process.env, LC_ALL: "C" } });
  execFileSync("rm", [tmp]);
  writeFileSync(meta, String(real));
  return { file, real };
}

/** Loads a sorted key file as one buffer plus line offsets (no string per key). */
export function loadKeys(file: string): { buf: Buffer; starts: Uint32Array; ends: Uint32Array } {
  const buf = readFileSync(file);
  let count = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) count++;
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let s = 0;
  let k = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10) {
      starts[k] = s;
      ends[k++] = i;
      s = i + 1;
    }
  }
  return { buf, starts, ends };
}
