/**
 * The partition runner's overhead against the service's raw throughput, in one run.
 *
 *   npm run build && node dist/bench/batch/run.js [--docs N] [--in-flight 64] [--rounds 5] [--ways …]
 *
 * Starts `soda serve` (sample lexicons) in a child process, so that the client side has this process to
 * itself, then annotates the same documents three ways with the same number of requests in flight:
 * raw undici (a Pool, one POST annot.json per document with the same body, answers read and dropped),
 * the same through the Pool's dispatch API (the runner's own path, so the floor for it), the runner over
 * one partition, and the runner over four partitions (files in, JSONL files out, order kept, atomic
 * writes). Each is run `--rounds` times (default 5), alternating; the best run counts. Prints a table
 * with the runner/raw ratios and this process's CPU per document (user + system; the service runs in
 * another process), which is what the runner costs the machine and is steadier than throughput on a
 * busy one. `--ways raw,dispatch,one,four` picks some.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { Pool } from "undici";
import { httpTaggers } from "../../clients/batch/http-taggers.js";
import { RunCounters, runPartitions } from "../../clients/batch/runner.js";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "40000" },
    "in-flight": { type: "string", default: "64" },
    rounds: { type: "string", default: "5" },
    ways: { type: "string", default: "raw,dispatch,one,four" },
  },
});
const ROUNDS = Number(values.rounds);
const WAYS = new Set(values.ways.split(","));
const DOCS = Number(values.docs);
const IN_FLIGHT = Number(values["in-flight"]);
const CLI = new URL("../../src/cli/soda.js", import.meta.url).pathname;

const SENTENCES = [
  "Patients from France and Germany with Crohn disease were compared with controls in the United States.",
  "Calcimycin, a calcium ionophore, was studied in Viet Nam and Japan.",
  "No entity is named in this sentence at all, which is common in real text.",
  "Abdominal neoplasms were reported in Korea, the Netherlands and Brazil.",
];
const docs = Array.from({ length: DOCS }, (_, i) => ({
  id: `b${i}`,
  text: `${SENTENCES[i % 4]} ${SENTENCES[(i * 3 + 1) % 4]} (${i})`,
}));
const settings = { lexicon: ["countries", "mesh"], matching: "lower" as const };

/** A free loopback port (the service logs at warn level only, so it does not print its own). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function startService(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const args = [CLI, "serve", "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"];
  const child = spawn(process.execPath, args, { stdio: "inherit" });
  const url = `http://127.0.0.1:${port}`;
  const probe = new Pool(url);
  for (;;) {
    try {
      await (await probe.request({ path: "/ready", method: "GET" })).body.dump();
      break;
    } catch {
      if (child.exitCode !== null) throw new Error("soda serve exited");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await probe.close();
  return { url, stop: () => child.kill() };
}

/** The naive best: a Pool with IN_FLIGHT connections, IN_FLIGHT requests at once, nothing written. */
async function raw(url: string): Promise<number> {
  const pool = new Pool(url, { connections: IN_FLIGHT });
  const limit = pLimit(IN_FLIGHT);
  const started = performance.now();
  await Promise.all(
    docs.map((d) =>
      limit(async () => {
        const r = await pool.request({
          path: "/soda/annot.json",
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...settings, text: d.text }),
        });
        const body = (await r.body.json()) as { status: string };
        if (body.status !== "ok") throw new Error("annot failed");
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return seconds;
}

/**
 * The floor for any undici client: the same requests through the Pool's dispatch API with a handler
 * that only gathers the body (no stream per response, no retry layer, nothing written). The runner
 * uses this API too, so this is the fair baseline for its own overhead.
 */
async function rawDispatch(url: string): Promise<number> {
  const pool = new Pool(url, { connections: IN_FLIGHT });
  const limit = pLimit(IN_FLIGHT);
  const headers = { "content-type": "application/json" };
  const one = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const chunks: Buffer[] = [];
      pool.dispatch(
        { path: "/soda/annot.json", method: "POST", headers, body },
        {
          // (undici takes a handler for its current API by its onRequestStart)
          onRequestStart: () => {},
          onResponseData: (_c, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => {
            if (!Buffer.concat(chunks).toString().startsWith('{"status":"ok"'))
              reject(new Error("annot failed"));
            else resolve();
          },
          onResponseError: (_c, e) => reject(e),
        },
      );
    });
  const started = performance.now();
  await Promise.all(docs.map((d) => limit(() => one(JSON.stringify({ ...settings, text: d.text })))));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return seconds;
}

async function runner(url: string, input: string, partitions: number): Promise<number> {
  const output = mkdtempSync(join(tmpdir(), "soda-bench-out-"));
  const concurrency = IN_FLIGHT / partitions;
  const started = performance.now();
  const counters = new RunCounters();
  await runPartitions({
    input,
    output,
    openTagger: httpTaggers({ url, connections: concurrency }, settings),
    concurrency,
    partitions,
    counters,
  });
  const seconds = (performance.now() - started) / 1000;
  if (counters.documents !== DOCS) throw new Error(`runner did ${counters.documents} documents`);
  rmSync(output, { recursive: true });
  return seconds;
}

function inputDir(parts: number): string {
  const dir = mkdtempSync(join(tmpdir(), "soda-bench-in-"));
  const size = Math.ceil(DOCS / parts);
  for (let p = 0; p < parts; p++)
    writeFileSync(
      join(dir, `part-${String(p).padStart(5, "0")}.jsonl`),
      docs
        .slice(p * size, (p + 1) * size)
        .map((d) => `${JSON.stringify(d)}\n`)
        .join(""),
    );
  return dir;
}

/** A way's best wall time and least client CPU (this process, user + system) over the rounds. */
interface Best {
  seconds: number;
  cpuSeconds: number;
}

/** Runs `way` once, timing it and the CPU this process spent (the service is another process). */
async function measure(best: Best, way: () => Promise<number>): Promise<void> {
  const cpu = process.cpuUsage();
  const seconds = await way();
  const used = process.cpuUsage(cpu);
  best.seconds = Math.min(best.seconds, seconds);
  best.cpuSeconds = Math.min(best.cpuSeconds, (used.user + used.system) / 1e6);
}

const dataDir = mkdtempSync(join(tmpdir(), "soda-bench-data-"));
const service = await startService(dataDir);
try {
  const one = inputDir(1);
  const four = inputDir(4);
  await raw(service.url); // warm-up: JIT, segment compilation for the mode, connections
  const ways: [string, string, () => Promise<number>][] = [
    ["raw", `raw undici Pool, ${IN_FLIGHT} in flight`, () => raw(service.url)],
    ["dispatch", `raw Pool.dispatch, ${IN_FLIGHT} in flight`, () => rawDispatch(service.url)],
    ["one", `runner, 1 partition × ${IN_FLIGHT}`, () => runner(service.url, one, 1)],
    ["four", `runner, 4 partitions × ${IN_FLIGHT / 4}`, () => runner(service.url, four, 4)],
  ];
  const chosen = ways.filter(([key]) => WAYS.has(key));
  const best = new Map(chosen.map(([key]) => [key, { seconds: Infinity, cpuSeconds: Infinity }]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [key, , way] of chosen) await measure(best.get(key)!, way);
  const rate = (s: number) => DOCS / s;
  const base = best.get("raw");
  console.log(
    `${DOCS} documents, ${IN_FLIGHT} requests in flight, best of ${ROUNDS} (service in a child process)\n`,
  );
  const floor = best.get("dispatch");
  const ratio = (b: Best, to: Best | undefined) =>
    to ? (rate(b.seconds) / rate(to.seconds)).toFixed(3) : "-";
  console.log(
    `${"way".padEnd(36)} ${"seconds".padStart(8)} ${"docs/s".padStart(9)} ${"vs raw".padStart(7)} ${"vs dispatch".padStart(11)} ${"client µs CPU/doc".padStart(18)}`,
  );
  for (const [key, name] of chosen) {
    const b = best.get(key)!;
    console.log(
      `${name.padEnd(36)} ${b.seconds.toFixed(2).padStart(8)} ${Math.round(rate(b.seconds)).toString().padStart(9)} ${ratio(b, base).padStart(7)} ${ratio(b, floor).padStart(11)} ${((b.cpuSeconds / DOCS) * 1e6).toFixed(1).padStart(18)}`,
    );
  }
  const runners = chosen
    .filter(([key]) => key === "one" || key === "four")
    .map(([key]) => best.get(key)!.seconds);
  for (const [name, to] of [
    ["raw", base],
    ["dispatch", floor],
  ] as const)
    if (to && runners.length > 0) {
      const overhead = 1 - rate(Math.max(...runners)) / rate(to.seconds);
      console.log(`runner overhead vs ${name} (worst layout): ${(overhead * 100).toFixed(1)}% (goal ≤ 10%)`);
    }
  rmSync(one, { recursive: true });
  rmSync(four, { recursive: true });
} finally {
  service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
