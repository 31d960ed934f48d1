import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** Where the prepared real name lists live (see bench/data/README.md). */
export const BENCH_DATA = process.env.SODA_BENCH_DATA ?? join(homedir(), ".cache", "soda", "bench-data");

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
 * of the real names of `names-all.tsv`, topped up with generated multi-word names (recombined real
 * names, see below) when the real ones run out. Returns the path and how many keys are real.
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
  // Top-up names recombine real multi-word names the way new real names arise (a known genus with
  // another species epithet, a known drug stem with another suffix word): all words of one real name but
  // the last, then the last word of another. Purely random word strings would be a worst case no real
  // dictionary looks like; results on the real part are reported separately all the same.
  const multi = list.filter((w) => w.includes(" "));
  const heads = multi.map((w) => w.slice(0, w.lastIndexOf(" ")));
  const tails = multi.map((w) => w.slice(w.lastIndexOf(" ") + 1));
  if (multi.length === 0) {
    for (let i = 0; i < 1000; i++) {
      heads.push(`name${i}`);
      tails.push(`part${i}`);
    }
  }
  while (list.length < n) {
    const name = `${heads[Math.floor(rand() * heads.length)]} ${tails[Math.floor(rand() * tails.length)]}`;
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
