import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SodaClient } from "../../clients/batch/client.js";
import { resolveConfig } from "../../services/soda/config.js";
import { startServer } from "../../services/soda/server.js";
import { Annotator } from "../../src/annotate/annotator.js";
import { loadCommand } from "../../src/cli/load-command.js";
import { LexiconStore } from "../../src/lexicon/store.js";

const sample = (f: string) => new URL(`../../ontologies/samples/${f}`, import.meta.url).pathname;

async function run(args: string[]) {
  const log: string[] = [];
  const code = await loadCommand(args, (l) => log.push(l));
  return { code, log: log.join("\n") };
}

function count(dir: string, lexicon: string): number {
  const store = LexiconStore.open(dir);
  const n = store.list().find((l) => l.lexicon === lexicon)?.count ?? 0;
  const staged = store.list().find((l) => l.lexicon === lexicon)?.staged ?? 0;
  store.close();
  expect(staged).toBe(0);
  return n;
}

describe("soda load", () => {
  it("loads MeSH XML and a TSV into a data directory, formats guessed from the names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-load-"));
    const r = await run([
      "--lexicon",
      "mesh",
      "--data-dir",
      dir,
      sample("mesh/desc2014-head.xml"),
      sample("mesh/qual2014.xml"),
    ]);
    expect(r.code).toBe(0);
    expect(r.log).toMatch(/records, \d+ names into "mesh"/);
    expect((await run(["--lexicon", "countries", "--data-dir", dir, sample("countries.tsv")])).code).toBe(0);
    const store = LexiconStore.open(dir);
    expect(store.list().map((l) => l.lexicon)).toEqual(["countries", "mesh"]);
    const a = new Annotator().annotate(
      "Calcimycin in France",
      [store.lexicon("mesh")!, store.lexicon("countries")!],
      {
        matching: "lower",
      },
    );
    expect(a.map((x) => `${x.lexicon}:${x.id}`)).toEqual(["mesh:D000001", "countries:FR"]);
    expect(store.lookup("mesh", "D000001")[0].attributes).toMatchObject({ type: "descriptor" });
    store.close();
  });

  it("is all or nothing: a truncated file leaves the lexicon as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-load-"));
    expect((await run(["--lexicon", "mesh", "--data-dir", dir, sample("mesh/qual2014.xml")])).code).toBe(0);
    const before = count(dir, "mesh");
    const xml = readFileSync(sample("mesh/desc2014-head.xml"), "utf8");
    const cut = join(dir, "desc-truncated.xml");
    writeFileSync(cut, xml.slice(0, Math.floor(xml.length * 0.6)));
    const r = await run(["--lexicon", "mesh", "--data-dir", dir, cut]);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/SODA_ERR_ONTOLOGY_\w+/);
    expect(r.log).toMatch(/nothing was committed/);
    expect(count(dir, "mesh")).toBe(before);
  });

  it("bulk loads a TSV without staging; loading it again (changed) is an upsert", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-load-"));
    const tsv = join(dir, "names.tsv");
    const lines = (tag: string) =>
      Array.from({ length: 250 }, (_, i) => `e${i}\t${tag} ${i}|alias ${i}`).join("\n");
    writeFileSync(tsv, `${lines("first")}\ne7\tseventh again\n`);
    const r = await run(["--lexicon", "t", "--data-dir", dir, tsv]);
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/251 records, 501 names into "t".*the lexicon has 250 entries/);
    writeFileSync(tsv, lines("second"));
    expect((await run(["--lexicon", "t", "--data-dir", dir, tsv])).code).toBe(0);
    expect(count(dir, "t")).toBe(250);
    const store = LexiconStore.open(dir);
    const tag = (text: string) =>
      new Annotator()
        .annotate(text, [store.lexicon("t")!], { matching: "lower" })
        .map((a) => `${a.id}:${a.coveredText}`);
    expect(tag("first 3, second 3, seventh again, alias 7")).toEqual(["e3:second 3", "e7:alias 7"]);
    store.close();
  });

  it("with --commit-every keeps what was committed before a failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-load-"));
    const xml = readFileSync(sample("mesh/desc2014-head.xml"), "utf8");
    const cut = join(dir, "desc-truncated.xml");
    writeFileSync(cut, xml.slice(0, Math.floor(xml.length * 0.6)));
    const r = await run(["--lexicon", "mesh", "--data-dir", dir, "--commit-every", "10", cut]);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/(\d+) records committed before the failure were kept/);
    const kept = Number(/(\d+) records committed/.exec(r.log)![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept % 10).toBe(0);
    expect(count(dir, "mesh")).toBe(kept);
  });

  it("rejects unknown formats and missing arguments with the choices", async () => {
    const r = await run(["--format", "csv", "x.csv"]);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/--lexicon is required/);
    expect(r.log).toMatch(/unknown --format "csv": use one of mesh-xml, mesh-rdf/);
    expect((await run(["--lexicon", "l", "file.unknown"])).log).toMatch(
      /cannot tell the format of file.unknown/,
    );
  });
  it("loads into a running service with --url, committing every N records; a rerun is harmless", async () => {
    const server = await startServer(
      resolveConfig({
        port: 0,
        dataDir: mkdtempSync(join(tmpdir(), "soda-load-url-")),
        samples: false,
        logLevel: "silent",
      }),
    );
    const args = [
      "--lexicon",
      "m",
      "--url",
      server.url,
      "--commit-every",
      "25",
      sample("mesh/desc2014-head.xml"),
    ];
    const first = await run(args);
    expect(first.code, first.log).toBe(0);
    expect(first.log).toMatch(
      /(\d+) records, \d+ names into "m" at http.* records\/s\); the lexicon has (\d+) entries/,
    );
    const n = Number(/(\d+) records,/.exec(first.log)![1]);
    expect(n).toBeGreaterThan(25);
    const again = await run(args);
    expect(again.log).toMatch(new RegExp(`the lexicon has ${n} entries`));
    const client = new SodaClient({ url: server.url });
    expect((await client.dicts()).lexicons).toEqual([{ lexicon: "m", count: n, staged: 0 }]);
    expect(
      (await client.annot({ lexicon: "m", text: "calcimycin", matching: "lower" })).annotations[0].id,
    ).toBe("D000001");
    await client.close();
    const cut = join(mkdtempSync(join(tmpdir(), "soda-load-")), "desc-truncated.xml");
    const xml = readFileSync(sample("mesh/desc2014-head.xml"), "utf8");
    writeFileSync(cut, xml.slice(0, Math.floor(xml.length * 0.6)));
    const broken = await run(["--lexicon", "cut", "--url", server.url, "--commit-every", "10", cut]);
    expect(broken.code).toBe(1);
    expect(broken.log).toMatch(/(\d+)0 records committed before the failure were kept/);
    await server.close();
  });
});
