import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annotateCommand } from "../../src/cli/annotate-command.js";
import { LexiconStore } from "../../src/lexicon/store.js";

const COUNTRIES = new URL("../../ontologies/samples/countries.tsv", import.meta.url).pathname;

function run(args: string[]): Promise<{ code: number; log: string[] }> {
  const log: string[] = [];
  return annotateCommand(args, (l) => log.push(l)).then((code) => ({ code, log }));
}

describe("soda annotate", () => {
  const dir = mkdtempSync(join(tmpdir(), "soda-annotate-"));
  const input = join(dir, "in.jsonl");
  writeFileSync(
    input,
    [
      JSON.stringify({ id: "a", text: "Flights from France to the United States of America." }),
      "",
      JSON.stringify({ id: 2, text: "<p>Viet Nam</p><p>and Korea</p>", extra: true }),
      JSON.stringify({ id: "c", text: "no country here" }),
    ].join("\n"),
  );

  it("writes one line per document, in input order, with offsets into the text", async () => {
    const output = join(dir, "out.jsonl");
    const { code } = await run([
      "--tsv",
      COUNTRIES,
      "--lexicon",
      "countries",
      "--matching",
      "lower",
      "--input",
      input,
      "--output",
      output,
    ]);
    expect(code).toBe(0);
    const lines = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["a", 2, "c"]);
    expect(lines[0].annotations.map((a: { id: string }) => a.id)).toEqual(["FR", "US"]);
    expect(lines[0].annotations[1]).toMatchObject({
      coveredText: "United States of America",
      begin: 27,
      end: 51,
      lexicon: "countries",
    });
    expect(lines[2].annotations).toEqual([]);
  });

  it("reads markup with --format html", async () => {
    const output = join(dir, "html.jsonl");
    const { code } = await run([
      "--tsv",
      COUNTRIES,
      "--matching",
      "lower",
      "--format",
      "html",
      "--input",
      input,
      "--output",
      output,
    ]);
    expect(code).toBe(0);
    const second = JSON.parse(readFileSync(output, "utf8").split("\n")[1]);
    expect(
      second.annotations.map((a: { coveredText: string; lexicon: string }) => [a.coveredText, a.lexicon]),
    ).toEqual([["Viet Nam", "countries"]]);
  });

  it("annotates with the lexicons of the store in --data-dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "soda-data-"));
    const store = LexiconStore.open(dataDir);
    store.add("mesh", [{ id: "D003424", names: ["Crohn Disease", "Crohn's Enteritis"] }], { commit: true });
    store.close();
    writeFileSync(join(dataDir, "in.jsonl"), `${JSON.stringify({ id: 1, text: "crohn's disease" })}\n`);
    const output = join(dataDir, "out.jsonl");
    const { code } = await run([
      "--data-dir",
      dataDir,
      "--lexicon",
      "mesh",
      "--matching",
      "stem3",
      "--input",
      join(dataDir, "in.jsonl"),
      "--output",
      output,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(output, "utf8")).annotations[0].id).toBe("D003424");
  });

  it("annotates in the fuzzy mode in-process, down to --threshold", async () => {
    const ocr = join(dir, "ocr.jsonl");
    writeFileSync(ocr, `${JSON.stringify({ id: "o", text: "Flights to the Unitcd States of Arnerica." })}\n`);
    const fuzzy = async (...extra: string[]) => {
      const output = join(dir, "fuzzy.jsonl");
      const args = ["--tsv", COUNTRIES, "--matching", "fuzzy", "--input", ocr, "--output", output];
      const { code, log } = await run([...args, ...extra]);
      expect(code, log.join("\n")).toBe(0);
      return JSON.parse(readFileSync(output, "utf8")).annotations as { id: string; confidence: number }[];
    };
    const [us] = await fuzzy();
    expect(us).toMatchObject({ id: "US", coveredText: "Unitcd States of Arnerica", matching: "fuzzy" });
    expect(us.confidence).toBeLessThan(1);
    expect(await fuzzy("--threshold", String(us.confidence))).toHaveLength(1);
    expect(await fuzzy("--threshold", "1")).toEqual([]);
    const bad = await run([
      "--tsv",
      COUNTRIES,
      "--matching",
      "fuzzy",
      "--threshold",
      "high",
      "--input",
      ocr,
      "--output",
      join(dir, "x.jsonl"),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.log[0]).toMatch(/--threshold "high": give a number from 0 to 1/);
  });

  it("rejects an unknown mode, policy, format or lexicon with the valid choices", async () => {
    const output = join(dir, "never.jsonl");
    const bad = await run([
      "--tsv",
      COUNTRIES,
      "--matching",
      "fuzzzy",
      "--overlaps",
      "SOME",
      "--input",
      input,
      "--output",
      output,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.log[0]).toMatch(/unknown --matching "fuzzzy": use one of exact, lower/);
    expect(bad.log[0]).toMatch(/unknown --overlaps "SOME"/);
    const missing = await run(["--data-dir", dir, "--lexicon", "nope", "--input", input, "--output", output]);
    expect(missing.code).toBe(2);
    expect(missing.log[0]).toMatch(/no soda data directory/);
    const empty = mkdtempSync(join(tmpdir(), "soda-empty-"));
    LexiconStore.open(empty).close();
    const unknown = await run([
      "--data-dir",
      empty,
      "--lexicon",
      "nope",
      "--input",
      input,
      "--output",
      output,
    ]);
    expect(unknown.log[0]).toMatch(/unknown lexicon "nope"/);
    expect(existsSync(output)).toBe(false);
  });

  it("fails on a malformed line, naming it, and writes no partial output", async () => {
    const broken = join(dir, "broken.jsonl");
    writeFileSync(broken, `${JSON.stringify({ id: 1, text: "France" })}\n{"id": 2, "text": "Fra\n`);
    const output = join(dir, "broken-out.jsonl");
    const { code, log } = await run(["--tsv", COUNTRIES, "--input", broken, "--output", output]);
    expect(code).toBe(1);
    expect(log[0]).toMatch(/broken\.jsonl:2: not JSON/);
    expect(existsSync(output)).toBe(false);
    writeFileSync(broken, `${JSON.stringify({ id: 1, body: "France" })}\n`);
    expect((await run(["--tsv", COUNTRIES, "--input", broken, "--output", output])).log[0]).toMatch(
      /string "text"/,
    );
  });

  it("with --on-error emit, writes an error line in place of a malformed one, in-process", async () => {
    const broken = join(dir, "emit.jsonl");
    const docs = Array.from({ length: 300 }, (_, i) => ({
      id: `d${i}`,
      text: `to France and "Viet Nam" ${i}`,
    }));
    writeFileSync(
      broken,
      [
        ...docs.slice(0, 150).map((d) => JSON.stringify(d)),
        '{"id": 2, "text": "Fra',
        ...docs.slice(150).map((d) => JSON.stringify(d)),
      ].join("\n"),
    );
    const output = join(dir, "emit-out.jsonl");
    const args = ["--tsv", COUNTRIES, "--lexicon", "countries", "--input", broken, "--output", output];
    const { code } = await run([...args, "--on-error", "emit"]);
    expect(code).toBe(0);
    const lines = readFileSync(output, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(301);
    expect(JSON.parse(lines[150]).error.code).toBeDefined();
    const parsed = lines.filter((_, i) => i !== 150).map((l) => JSON.parse(l));
    expect(parsed.map((l) => l.id)).toEqual(docs.map((d) => d.id));
    expect(parsed[7].annotations.map((a: { id: string }) => a.id)).toEqual(["FR", "VN"]);
    // The same lines as the annotations written one JSON.stringify at a time.
    expect(lines[0]).toBe(JSON.stringify({ id: "d0", annotations: parsed[0].annotations }));
  });
});
