import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InputItem } from "../../../clients/batch/documents.js";
import {
  isSodaHttpError,
  SodaConnectionError,
  SodaHttpError,
  SodaInputError,
} from "../../../clients/batch/errors.js";
import {
  formatJsonResult,
  formatResult,
  type LineSink,
  type OutputFormat,
  PartitionOutput,
} from "../../../clients/batch/output.js";
import { annotateItems, type OnError, RunCounters } from "../../../clients/batch/runner.js";
import { type Tagger, withFirstCall } from "../../../clients/batch/taggers.js";
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

describe("annotateItems (in-process, a fake tagger)", () => {
  const ann = (text: string, begin: number) => ({
    id: `E${begin}`,
    lexicon: "l",
    begin,
    end: begin + 1,
    coveredText: text.slice(begin, begin + 1),
    confidence: 1,
  });
  /** Annotates every `x`, after a random pause (so calls end out of order); "bad" is refused with a 400. */
  const fake = (withJson: boolean, calls = { n: 0 }): Tagger => {
    const annotate = async (text: string) => {
      calls.n++;
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      if (text === "bad") throw new SodaHttpError(400, "SODA_ERR_BAD_REQUEST", "bad text");
      if (text === "down") throw new SodaConnectionError("http://x", new Error("ECONNREFUSED"));
      return [...text.matchAll(/x/g)].map((m) => ann(text, m.index));
    };
    const tagger: Tagger = { annotate, close: async () => {} };
    if (withJson) tagger.annotateJson = async (text) => JSON.stringify(await annotate(text));
    return tagger;
  };
  const memory = () => {
    const sink = { text: "", committed: false };
    const lineSink: LineSink = {
      write: async (t) => {
        sink.text += t;
      },
      commit: async () => {
        sink.committed = true;
      },
      discard: async () => {},
    };
    return { sink, lineSink };
  };
  const items = (texts: string[]): InputItem[] => texts.map((text, i) => ({ id: `d${i}`, text }));
  async function run(
    texts: string[] | InputItem[],
    format: OutputFormat,
    withJson: boolean,
    onError: OnError,
  ) {
    const main = memory();
    const errors = memory();
    const output = new PartitionOutput(main.lineSink, format, async () => errors.lineSink);
    const counters = new RunCounters();
    const list = typeof texts[0] === "string" ? items(texts as string[]) : (texts as InputItem[]);
    async function* source() {
      yield* list;
    }
    const failure = await annotateItems(source(), fake(withJson), output, {
      concurrency: 4,
      onError,
      counters,
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    return { out: main.sink.text, errors: errors.sink.text, counters, failure };
  }
  const texts = Array.from(
    { length: 300 },
    (_, i) => "ax bxx c ".repeat(i % 5) + (i % 7 === 0 ? '"x"\t' : ""),
  );

  it("writes the same JSONL from spliced JSON as from parsed annotations, in order, counted", async () => {
    const spliced = await run(texts, "jsonl", true, "fail");
    const parsed = await run(texts, "jsonl", false, "fail");
    expect(spliced.failure).toBeUndefined();
    expect(spliced.out).toBe(parsed.out);
    const lines = spliced.out.trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(texts.map((_, i) => `d${i}`));
    const total = texts.reduce((n, t) => n + [...t.matchAll(/x/g)].length, 0);
    expect(spliced.counters.annotations).toBe(total);
    expect(parsed.counters.annotations).toBe(total);
    expect(spliced.counters.documents).toBe(300);
    expect(formatJsonResult("d", "[]")).toBe(formatResult("d", [], "jsonl"));
    expect(formatJsonResult(undefined, "[]")).toBe(formatResult(undefined, [], "jsonl"));
  });

  it("emits document errors in place with emit, and stops at the first with fail", async () => {
    const mixed = [...items(["x", "bad", "xx"]), { id: "d3", error: new SodaInputError("not JSON", "f:4") }];
    const emitted = await run(mixed, "jsonl", true, "emit");
    expect(emitted.failure).toBeUndefined();
    const rows = emitted.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; error?: { code: string } });
    expect(rows.map((r) => [r.id, r.error?.code])).toEqual([
      ["d0", undefined],
      ["d1", "SODA_CLIENT_ERR_HTTP"],
      ["d2", undefined],
      ["d3", "SODA_CLIENT_ERR_INPUT"],
    ]);
    expect(emitted.counters.errors).toBe(2);
    const failed = await run(mixed, "jsonl", true, "fail");
    expect(isSodaHttpError(failed.failure)).toBe(true);
    // emit still stops on a failure that is not the document's (the service is down).
    const down = await run(items(["x", "down", "x"]), "jsonl", true, "emit");
    expect((down.failure as { code?: string }).code).toBe("SODA_CLIENT_ERR_CONNECTION");
  });

  it("writes standoff from parsed annotations even when the tagger has annotateJson, errors aside", async () => {
    const r = await run(["x", "bad", "axb"], "standoff", true, "emit");
    expect(r.out).toBe("d0\tE0\tl\t0\t1\tx\t1\nd2\tE1\tl\t1\t2\tx\t1\n");
    expect(JSON.parse(r.errors).id).toBe("d1");
  });

  it("passes annotateJson through withFirstCall, which runs its first call once", async () => {
    let probes = 0;
    const calls = { n: 0 };
    const open = withFirstCall(
      () => fake(true, calls),
      async () => {
        probes++;
      },
    );
    const [a, b] = [open(), open()];
    expect(a.annotateJson).toBeDefined();
    expect(await a.annotateJson!("x")).toBe(JSON.stringify([ann("x", 0)]));
    expect(await b.annotate("xx")).toHaveLength(2);
    expect(probes).toBe(1);
    expect(
      withFirstCall(
        () => fake(false),
        async () => {},
      )().annotateJson,
    ).toBeUndefined();
  });
});
