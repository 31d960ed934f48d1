import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annotateCommand } from "../../../src/cli/annotate-command.js";
import { makeDocs, readRun, runCli, spawnService, tempDir, writePartitions } from "./helpers.js";

/**
 * Exactly-once output across failures: the service killed (SIGKILL) mid-run and restarted, and the
 * runner itself killed at arbitrary moments, then the same command run again.
 */
describe("resuming the partition runner", () => {
  const dataDir = tempDir("resume-data");
  const input = tempDir("resume-in");
  const docs = makeDocs(24_000);
  let service: { child: ChildProcess; url: string };
  let reference: Map<string, unknown>;
  let referenceMs = 0;
  const args = (url: string, output: string) => [
    "annotate",
    "--url",
    url,
    "--lexicon",
    "countries,mesh",
    "--matching",
    "stem3",
    "--input",
    input,
    "--output",
    output,
    "--partitions",
    "2",
    "--concurrency",
    "8",
    "--retries",
    "2",
  ];
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  const finished = (dir: string) =>
    existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".jsonl")).length : 0;

  beforeAll(async () => {
    writePartitions(input, docs, 24);
    service = await spawnService(dataDir);
    const output = tempDir("resume-ref");
    const started = performance.now();
    const r = await runCli(args(service.url, output));
    referenceMs = performance.now() - started;
    expect(r.status, r.stderr).toBe(0);
    reference = readRun(output);
    expect(reference.size).toBe(docs.length);
  }, 120_000);
  afterAll(() => kill(service.child));

  it("survives the service being killed mid-run: rerun after restart gives the undisturbed output", async () => {
    const output = tempDir("resume-svc");
    const log: string[] = [];
    const run = annotateCommand(args(service.url, output).slice(1), (l) => log.push(l));
    while (finished(output) < 3) await new Promise((r) => setTimeout(r, 5));
    await kill(service.child);
    expect(await run).toBe(1);
    expect(log.join("\n")).toMatch(/run the same command again/);
    const done = finished(output);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(24);
    expect(existsSync(join(output, "_SUCCESS"))).toBe(false);

    service = await spawnService(dataDir, Number(new URL(service.url).port));
    const again = await annotateCommand(args(service.url, output).slice(1), (l) => log.push(l));
    expect(again, log.join("\n")).toBe(0);
    expect(log.at(-2)).toMatch(new RegExp(`${24 - done} partitions annotated, ${done} already done`));
    expect(readRun(output)).toEqual(reference);
    expect(readdirSync(output).filter((n) => n.startsWith("_"))).toEqual(["_SUCCESS"]);
  });

  it("survives the runner being killed at any moment, again and again", async () => {
    const output = tempDir("resume-kill");
    let killed = 0;
    for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const r = await runCli(args(service.url, output), { killAfterMs: 250 + fraction * referenceMs });
      if (r.signal === "SIGKILL") killed++;
      else expect(r.status, r.stderr).toBe(0);
    }
    expect(killed).toBeGreaterThan(1);
    const last = await runCli(args(service.url, output));
    expect(last.status, last.stderr).toBe(0);
    expect(readRun(output)).toEqual(reference);
  });
});
