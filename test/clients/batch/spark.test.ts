import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../services/soda/server.js";
import { direct, ensureBuilt, jsonl, makeDocs, ROOT, startService, tempDir } from "./helpers.js";

/**
 * The PySpark job against the real service, in local[2,2] (two threads, a task may fail twice).
 * Python with pyspark: $SODA_PYSPARK_PYTHON (set by .ci/run), else python3 if it imports pyspark.
 * Without it the suite fails in CI (CI=true) and is skipped locally.
 */
function findPython(): string | undefined {
  for (const python of [process.env.SODA_PYSPARK_PYTHON, "python3"]) {
    if (!python) continue;
    if (spawnSync(python, ["-c", "import pyspark"], { stdio: "ignore" }).status === 0) return python;
  }
  return undefined;
}

const python = findPython();
const JOB = join(ROOT, "clients/batch/spark/annotate_job.py");
if (!python && process.env.CI !== "true")
  console.warn(
    "spark.test.ts skipped: no python with pyspark (pip install pyspark==3.5.7, or set SODA_PYSPARK_PYTHON)",
  );

describe.runIf(python || process.env.CI === "true")(
  "the Spark job (RDD.pipe through soda annotate --stdin)",
  () => {
    let server: RunningServer;
    const docs = makeDocs(60, "s");
    let expected: Map<string, unknown>;

    beforeAll(async () => {
      if (!python) return;
      ensureBuilt();
      server = await startService();
      expected = await direct(server.url, docs);
    }, 120_000);
    afterAll(() => server?.close());

    it("has a python with pyspark (in CI, .ci/run installs it)", () => {
      expect(python, "CI=true but no python with pyspark: .ci/run should have installed it").toBeDefined();
    });

    /** Runs the job (without blocking this process, which serves it); returns the rows it wrote, by id. */
    async function job(input: string, partitions: number, extra: string[] = []) {
      const output = join(tempDir("spark-out"), "out");
      const args = [JOB, "--master", "local[2,2]", "--input", input, "--output", output, "--url", server.url];
      args.push("--lexicon", "countries,mesh", "--matching", "lower", "--node", process.execPath);
      args.push("--soda", join(ROOT, "dist/src/cli/soda.js"), "--partitions", String(partitions), ...extra);
      const child = spawn(python!, args, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (s: string) => {
        stderr += s;
      });
      const code = await new Promise((r) => child.on("close", r));
      // What soda itself said (its one-line failure) comes first: Spark's stack traces bury it.
      const said = stderr.split("\n").filter((l) => l.includes("soda annotate:"));
      expect(code, `${said.slice(0, 20).join("\n")}\n…\n${stderr.slice(-3000)}`).toBe(0);
      const rows = new Map<string, unknown>();
      for (const f of readdirSync(output).filter((n) => n.startsWith("part-")))
        for (const line of readFileSync(join(output, f), "utf8").split("\n").filter(Boolean)) {
          const row = JSON.parse(line) as { id: string; annotations?: Record<string, unknown>[] };
          expect(rows.has(row.id)).toBe(false);
          rows.set(row.id, { id: row.id, annotations: row.annotations ?? [] });
        }
      return { rows, stderr };
    }

    it("gives the direct client's output, also when a task attempt fails, and with empty partitions", async () => {
      const input = join(tempDir("spark-in"), "docs.jsonl");
      writeFileSync(input, jsonl(docs));
      expect((await job(input, 4)).rows).toEqual(expected);
      const retried = await job(input, 4, ["--inject-failure", "1"]);
      expect(retried.stderr).toMatch(/injected failure in partition 1, attempt 0/);
      expect(retried.rows).toEqual(expected);
      const few = join(tempDir("spark-few"), "docs.jsonl");
      writeFileSync(few, jsonl(docs.slice(0, 3)));
      const some = new Map([...expected].slice(0, 3));
      expect((await job(few, 6)).rows).toEqual(some);
    }, 300_000);
  },
);
