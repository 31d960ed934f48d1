import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../../services/soda/server.js";
import { annotateCommand } from "../../../src/cli/annotate-command.js";
import { direct, jsonl, makeDocs, readRun, runCli, startService, tempDir } from "./helpers.js";

async function annotate(args: string[]) {
  const log: string[] = [];
  const code = await annotateCommand(args, (l) => log.push(l));
  return { code, log: log.join("\n") };
}

describe("the partition runner", () => {
  let server: RunningServer;
  let dataDir: string;
  const docs = makeDocs(90);
  const input = tempDir("parts");
  let expected: Map<string, unknown>;
  const common = () => ["--url", server.url, "--lexicon", "countries,mesh", "--matching", "lower"];

  beforeAll(async () => {
    dataDir = tempDir("data");
    server = await startService(dataDir);
    writeFileSync(join(input, "part-00000.jsonl"), jsonl(docs.slice(0, 40)));
    writeFileSync(join(input, "part-00001-c000.json.gz"), gzipSync(jsonl(docs.slice(40, 80))));
    for (const d of docs.slice(80)) writeFileSync(join(input, `${d.id}.txt`), d.text);
    writeFileSync(join(input, "_SUCCESS"), "");
    writeFileSync(join(input, ".part-00000.jsonl.crc"), "junk");
    expected = await direct(server.url, docs);
    // .txt documents are named after their file.
    for (const d of docs.slice(80)) {
      const row = expected.get(d.id) as { annotations: unknown };
      expected.delete(d.id);
      expected.set(`${d.id}.txt`, { id: `${d.id}.txt`, annotations: row.annotations });
    }
  });
  afterAll(() => server.close());

  it("writes one file per partition, in input order, equal to the direct client's, then _SUCCESS", async () => {
    const output = tempDir("out");
    const r = await annotate([...common(), "--input", input, "--output", output, "--concurrency", "6"]);
    expect(r.code, r.log).toBe(0);
    expect(readdirSync(output).sort()).toEqual([
      "_SUCCESS",
      "part-00000.jsonl",
      "part-00001-c000.jsonl",
      "txt-00000.jsonl",
    ]);
    const first = readFileSync(join(output, "part-00000.jsonl"), "utf8").trim().split("\n");
    expect(first.map((l) => JSON.parse(l).id)).toEqual(docs.slice(0, 40).map((d) => d.id));
    expect(readRun(output)).toEqual(expected);
    expect(r.log).toMatch(/90 documents, \d+ annotations, 0 errors/);

    // Rerun: nothing to do, nothing rewritten.
    const mtime = statSync(join(output, "part-00000.jsonl")).mtimeMs;
    const again = await annotate([...common(), "--input", input, "--output", output]);
    expect(again.log).toMatch(/0 partitions annotated, 3 already done/);
    expect(statSync(join(output, "part-00000.jsonl")).mtimeMs).toBe(mtime);

    // A lost partition and a killed run's leftovers: only that partition is redone, the leftovers go.
    rmSync(join(output, "part-00001-c000.jsonl"));
    rmSync(join(output, "_SUCCESS"));
    mkdirSync(join(output, "_temporary"));
    writeFileSync(
      join(output, "_temporary", "part-00001-c000.jsonl.1.tmp"),
      '{"id":"d40","annotations":[]}\n',
    );
    const redo = await annotate([...common(), "--input", input, "--output", output]);
    expect(redo.log).toMatch(/1 partitions annotated, 2 already done/);
    expect(readRun(output)).toEqual(expected);
    expect(existsSync(join(output, "_temporary"))).toBe(false);
    expect(existsSync(join(output, "_SUCCESS"))).toBe(true);
  });

  it("writes standoff lines, escaped, with --output-format; --format still names the text format", async () => {
    const output = tempDir("standoff");
    const r = await annotate([
      ...common(),
      "--input",
      input,
      "--output",
      output,
      "--output-format",
      "standoff",
      "--format",
      "text",
    ]);
    expect(r.code, r.log).toBe(0);
    const lines = readFileSync(join(output, "part-00000.tsv"), "utf8").trim().split("\n");
    const total = docs
      .slice(0, 40)
      .reduce((n, d) => n + (expected.get(d.id) as { annotations: [] }).annotations.length, 0);
    expect(lines).toHaveLength(total);
    const [doc, entity, lexicon, begin, end, covered, confidence] = lines[0].split("\t");
    const a = (expected.get(doc) as { annotations: Record<string, unknown>[] }).annotations[0];
    expect([entity, lexicon, Number(begin), Number(end), covered, Number(confidence)]).toEqual([
      a.id,
      a.lexicon,
      a.begin,
      a.end,
      a.coveredText,
      a.confidence,
    ]);
  });

  it("stops at a bad line with --on-error fail, keeping finished partitions; emits it with emit", async () => {
    const bad = tempDir("bad");
    writeFileSync(join(bad, "part-00000.jsonl"), jsonl(docs.slice(0, 5)));
    writeFileSync(
      join(bad, "part-00001.jsonl"),
      `${jsonl(docs.slice(5, 7))}{"id": "broken", "text": \n${jsonl(docs.slice(7, 9))}`,
    );
    const output = tempDir("bad-out");
    const failed = await annotate([...common(), "--input", bad, "--output", output, "--partitions", "1"]);
    expect(failed.code).toBe(1);
    expect(failed.log).toMatch(/part-00001\.jsonl:3: not JSON/);
    expect(readdirSync(output).filter((n) => !n.startsWith("_"))).toEqual(["part-00000.jsonl"]);
    expect(existsSync(join(output, "_SUCCESS"))).toBe(false);
    const emitted = await annotate([...common(), "--input", bad, "--output", output, "--on-error", "emit"]);
    expect(emitted.code, emitted.log).toBe(0);
    const rows = readFileSync(join(output, "part-00001.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(["d5", "d6", null, "d7", "d8"]);
    expect(rows[2].error).toMatchObject({ code: "SODA_CLIENT_ERR_INPUT" });
    expect(emitted.log).toMatch(/1 errors/);
  });

  it("reports an unknown lexicon once, as a usage error", async () => {
    const r = await annotate([
      "--url",
      server.url,
      "--lexicon",
      "nope",
      "--input",
      input,
      "--output",
      tempDir("x"),
    ]);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/SODA_ERR_UNKNOWN_LEXICON/);
  });

  it("--stdin pipes JSONL through with an empty environment, for RDD.pipe", async () => {
    const args = ["annotate", "--stdin", ...common(), "--concurrency", "16"];
    const piped = await runCli(args, { input: jsonl(docs.slice(0, 80)) });
    expect(piped.status, piped.stderr).toBe(0);
    const rows = piped.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(docs.slice(0, 80).map((d) => d.id));
    expect(rows).toEqual(docs.slice(0, 80).map((d) => expected.get(d.id)));
    const empty = await runCli(args, { input: "" });
    expect([empty.status, empty.stdout]).toEqual([0, ""]);
    const down = await runCli(
      ["annotate", "--stdin", "--url", "http://127.0.0.1:9", "--lexicon", "x", "--retries", "1"],
      { input: jsonl(docs.slice(0, 2)) },
    );
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the soda service/);
  });

  it("runs the same way in-process on a data directory, with no server", async () => {
    const output = tempDir("inproc");
    await server.close();
    const r = await annotate([
      "--data-dir",
      dataDir,
      "--lexicon",
      "countries,mesh",
      "--matching",
      "lower",
      "--input",
      input,
      "--output",
      output,
    ]);
    expect(r.code, r.log).toBe(0);
    expect(readRun(output)).toEqual(expected);
  });
});
