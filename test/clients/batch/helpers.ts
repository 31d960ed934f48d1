import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SodaClient } from "../../../clients/batch/client.js";
import { resolveConfig } from "../../../services/soda/config.js";
import { type RunningServer, startServer } from "../../../services/soda/server.js";

export const ROOT = new URL("../../../", import.meta.url).pathname;
export const CLI = join(ROOT, "dist/src/cli/soda.js");

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `soda-${prefix}-`));

/** The real service on a free loopback port, with the sample lexicons (countries, mesh). */
export function startService(dataDir = tempDir("svc")): Promise<RunningServer> {
  return startServer(resolveConfig({ port: 0, dataDir, logLevel: "silent" }));
}

const WORDS = [
  "Flights from France to the United States of America.",
  "Calcimycin and calcium ionophores were studied in Viet Nam.",
  "no entity here at all",
  "Korea, Japan and the Netherlands signed.",
  "Crohn disease; Abdominal Neoplasms in Germany",
  'Élan in Côte d\'Ivoire — and "quotes"\tand tabs',
];

/** `n` documents with ids `d0…`, texts mixing the sample lexicons' names. */
export function makeDocs(n: number, prefix = "d"): { id: string; text: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    text: `${WORDS[i % WORDS.length]} ${i} ${WORDS[(i * 7 + 3) % WORDS.length]}`,
  }));
}

export const jsonl = (rows: readonly unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join("");

/** Writes `docs` split into `parts` Spark-style partition files under `dir`. */
export function writePartitions(dir: string, docs: readonly unknown[], parts: number): void {
  const size = Math.ceil(docs.length / parts);
  for (let p = 0; p < parts; p++)
    writeFileSync(
      join(dir, `part-${String(p).padStart(5, "0")}.jsonl`),
      jsonl(docs.slice(p * size, (p + 1) * size)),
    );
}

/** Every output line of a run directory's `*.jsonl` files, by document id; throws on a duplicate. */
export function readRun(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".jsonl"))
    .sort())
    for (const line of readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean)) {
      const row = JSON.parse(line) as { id: string };
      if (out.has(row.id)) throw new Error(`duplicate document ${row.id} in ${f}`);
      out.set(row.id, row);
    }
  return out;
}

/** What the client gives for each document, one request at a time: the reference output. */
export async function direct(url: string, docs: readonly { id: string; text: string }[], matching = "lower") {
  const client = new SodaClient({ url });
  const out = new Map<string, unknown>();
  for (const d of docs) {
    const r = await client.annot({
      lexicon: ["countries", "mesh"],
      text: d.text,
      matching: matching as "lower",
    });
    out.set(d.id, { id: d.id, annotations: r.annotations });
  }
  await client.close();
  return out;
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith(".ts") ? statSync(p).mtimeMs : 0);
  }
  return t;
}

/** The compiled CLI, built first when a source it runs is newer than it (vitest runs the sources). */
export function ensureBuilt(): string {
  const sources = Math.max(...["clients", "src", "services", "ontologies"].map((d) => newest(join(ROOT, d))));
  const built = join(ROOT, "dist/clients/batch/runner.js");
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    try {
      execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], {
        cwd: ROOT,
        stdio: "pipe",
      });
    } catch {
      // Type errors elsewhere do not stop tsc from emitting; the checks below catch a missing build.
    }
  }
  if (!existsSync(CLI)) throw new Error(`no ${CLI}: run npm run build`);
  return CLI;
}

/** `soda serve` in a child process (so that it can be killed for real), resolved once it answers. */
export async function spawnService(dataDir: string, port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [ensureBuilt(), "serve", "--port", String(port), "--data-dir", dataDir, "--log-level", "info"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const onData = (b: Buffer) => {
      seen += b.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.resume();
    child.once("exit", (code) => reject(new Error(`soda serve exited with ${code}: ${seen.slice(-500)}`)));
  });
  return { child, url };
}

/** Runs the compiled CLI without blocking this process (which may be serving it); optionally kills it. */
export function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number } = {},
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [ensureBuilt(), ...args], { env: options.env ?? {} });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  child.stdin.end(options.input ?? "");
  if (options.killAfterMs !== undefined) {
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
    child.once("exit", () => clearTimeout(timer));
  }
  return new Promise((resolve) =>
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
}
