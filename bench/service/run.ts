/**
 * bench/service: documents/s and latency over HTTP against a real `soda serve` process, beside the
 * in-process rate on the same documents and lexicon, so the HTTP overhead is visible.
 *
 * Usage: npm run bench:service [-- NAMES] [--modes lower,exact] [--workers 0] (default 1000000 real
 * names; SOTU cut into 5 KB documents). The server runs in a child process; the load generator (undici
 * Pool) in this one, on the same machine, so documents/s depends on what else runs; "per server
 * CPU-second" divides by the server process's own user + system time (/proc/PID/stat) and is the
 * per-core figure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { Annotator, type MatchingMode } from "../../src/annotate/annotator.js";
import { LexiconStore, type StoredEntry } from "../../src/lexicon/store.js";
import { BENCH_DATA, rng } from "../fst/keys.js";

const SECONDS = Number(process.env.SODA_BENCH_SECONDS ?? 5);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `n` real entity names (the English word list excluded), one entity per id. */
async function names(n: number): Promise<StoredEntry[]> {
  const lines: string[] = [];
  const rl = createInterface({
    input: createReadStream(join(BENCH_DATA, "names-all.tsv"), "utf8"),
    crlfDelay: Infinity,
  });
  for await (const l of rl) if (!l.startsWith("word:")) lines.push(l);
  const rand = rng(3);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  const byId = new Map<string, string[]>();
  for (const l of lines.slice(0, n)) {
    const [id, name] = l.split("\t");
    const list = byId.get(id);
    if (list) list.push(name);
    else byId.set(id, [name]);
  }
  return Array.from(byId, ([id, ns]) => ({ id, names: ns }));
}

/** The State of the Union addresses cut at sentence ends into documents of about 5 KB. */
function documents(): string[] {
  const dir = join(BENCH_DATA, "sotu");
  const docs: string[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".txt"))
    .sort()) {
    const text = readFileSync(join(dir, f), "utf8");
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + 5000);
      const dot = text.indexOf(". ", end);
      end = dot < 0 || dot - end > 500 ? end : dot + 1;
      docs.push(text.slice(start, end));
      start = end;
    }
  }
  return docs;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** User + system CPU seconds of process `pid` so far (Linux: /proc/PID/stat, in clock ticks of 1/100 s). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(
  pool: Pool,
  docs: string[],
  perRequest: number,
  connections: number,
  mode: string,
  serverPid: number,
): Promise<{ docsPerSecond: number; p50: number; p99: number; mbps: number; perServerCpu: number }> {
  const latencies: number[] = [];
  let sent = 0;
  let bytes = 0;
  let next = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const cpu0 = cpuOf(serverPid);
  const worker = async () => {
    while (performance.now() < deadline) {
      const batch: { id: string; text: string }[] = [];
      for (let i = 0; i < perRequest; i++) {
        const k = next++ % docs.length;
        batch.push({ id: String(k), text: docs[k] });
      }
      const body =
        perRequest === 1
          ? JSON.stringify({ lexicon: "names", matching: mode, text: batch[0].text })
          : JSON.stringify({ lexicon: "names", matching: mode, docs: batch });
      const t = performance.now();
      const res = await pool.request({
        path: "/soda/annot.json",
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      latencies.push(performance.now() - t);
      sent += perRequest;
      for (const d of batch) bytes += Buffer.byteLength(d.text);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const s = (performance.now() - started) / 1000;
  const serverCpu = cpuOf(serverPid) - cpu0;
  latencies.sort((a, b) => a - b);
  return {
    docsPerSecond: sent / s,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mbps: bytes / 1e6 / s,
    perServerCpu: sent / serverCpu,
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { modes: { type: "string", default: "lower,exact" }, workers: { type: "string", default: "0" } },
  });
  const n = Number(positionals[0] ?? 1_000_000);
  const modes = values.modes.split(",");
  const dir = mkdtempSync(join(tmpdir(), "soda-bench-service-"));
  const entries = await names(n);
  const store = LexiconStore.open(dir);
  for (let i = 0; i < entries.length; i += 10_000) store.add("names", entries.slice(i, i + 10_000));
  store.commit("names");
  const docs = documents();
  // Each mode is compiled here once (written to the data directory, mapped by the server) and timed
  // in process: the rate per CPU-second the HTTP rows compare with.
  const inprocRate = new Map<string, number>();
  for (const mode of modes) {
    const matching = mode as MatchingMode;
    const annotator = new Annotator();
    annotator.annotate(docs[0], [store.lexicon("names")!], { matching });
    const t = performance.now();
    let inproc = 0;
    const c0 = process.cpuUsage();
    while (performance.now() - t < SECONDS * 1000) {
      annotator.annotate(docs[inproc % docs.length], [store.lexicon("names")!], { matching });
      inproc++;
    }
    const cpu = process.cpuUsage(c0);
    inprocRate.set(mode, inproc / ((cpu.user + cpu.system) / 1e6));
  }
  await store.idle();
  store.close();

  const port = await freePort();
  const cli = fileURLToPath(new URL("../../src/cli/soda.js", import.meta.url));
  const server: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      "serve",
      "--port",
      String(port),
      "--data-dir",
      dir,
      "--no-samples",
      "--log-level",
      "warn",
      "--workers",
      values.workers,
    ],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, SODA_MAX_IN_FLIGHT: "1024" } },
  );
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64, pipelining: 1 });
  for (const t = performance.now(); ; ) {
    try {
      await (await pool.request({ path: "/ready", method: "GET" })).body.text();
      break;
    } catch {
      if (performance.now() - t > 30_000) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.log(
    `node ${process.version}; ${entries.length} entities, ${n} names; ${docs.length} documents of ~5 KB (SOTU); ${SECONDS} s per row; server --workers ${values.workers}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    "| mode | documents per request | connections | documents/s | MB/s | p50 ms | p99 ms | documents per server CPU-second | vs in-process |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const mode of modes) {
    const inproc = inprocRate.get(mode)!;
    console.log(
      `| ${mode} | in-process (per CPU-second) | – | ${inproc.toFixed(0)} | – | – | – | ${inproc.toFixed(0)} | 1.00x |`,
    );
    for (const [per, conns] of [
      [1, 1],
      [1, 64],
      [100, 1],
      [100, 4],
      [100, 64],
    ]) {
      const r = await load(pool, docs, per, conns, mode, server.pid!);
      console.log(
        `| ${mode} | ${per} | ${conns} | ${r.docsPerSecond.toFixed(0)} | ${r.mbps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.perServerCpu.toFixed(0)} | ${(r.perServerCpu / inproc).toFixed(2)}x |`,
      );
    }
  }
  await pool.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
