import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAMING_MODES } from "../../src/text/modes.js";
import { type Running, startServer } from "./harness.js";

const TEXT =
  "Institute of Clean Coal Technology, East China University of Science and Technology, Shanghai 200237, China";

/** countries.tsv as SoDA's test loads it: `id<TAB>name|name`. */
const countries = readFileSync(new URL("../../ontologies/samples/countries.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"))
  .map((l) => {
    const [id, names] = l.split("\t");
    return { id: `http://example.org/countries/${id}`, names: names.split("|") };
  });

describe("SoDA's whole flow over HTTP (as sodaclient_test.py drives it)", () => {
  let s: Running;
  const LEX = "test_countries-3";
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.app.close();
  });

  it("index.json says ok", async () => {
    const r = await s.get("/soda/index.json");
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("ok");
    expect(r.json.message).toMatch(/SoDA accepting requests/);
  });

  it("adds one record at a time, committing every 100, then commits with null id and names", async () => {
    let n = 0;
    for (const c of countries) {
      const commit = n % 100 === 0;
      const r = await s.post("/soda/add.json", { lexicon: LEX, id: c.id, names: c.names, commit });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe("ok");
      expect(r.json.payload).toMatchObject({ lexicon: LEX, id: c.id, names: c.names, commit, added: 1 });
      n++;
    }
    const r = await s.post("/soda/add.json", { lexicon: LEX, id: null, names: null, commit: true });
    expect(r.status).toBe(200);
    expect(r.json.payload).toEqual({ lexicon: LEX, commit: true, added: 0, committed: 48 });
  });

  it("dicts.json lists the lexicon with its count", async () => {
    const r = await s.get("/soda/dicts.json");
    expect(r.json).toEqual({
      status: "ok",
      lexicons: [{ lexicon: LEX, count: countries.length, staged: 0 }],
    });
  });

  it.each(STREAMING_MODES)("annot.json in %s finds China twice", async (matching) => {
    const r = await s.post("/soda/annot.json", { lexicon: LEX, text: TEXT, matching });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("ok");
    const china = r.json.annotations.filter((a: { coveredText: string }) => a.coveredText === "China");
    expect(china.map((a: { begin: number; end: number }) => [a.begin, a.end])).toEqual([
      [41, 46],
      [102, 107],
    ]);
    expect(china[0]).toMatchObject({ id: "http://example.org/countries/CN", lexicon: LEX, matching });
    expect(china[0].confidence).toBe(1);
  });

  it.each(STREAMING_MODES)("coverage.json in %s counts distinct entries and mentions", async (matching) => {
    const r = await s.post("/soda/coverage.json", { text: TEXT, matching });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: "ok", lexicons: [{ lexicon: LEX, count: 1, mentions: 2 }] });
  });

  it("lookup.json finds one entry by id", async () => {
    const r = await s.post("/soda/lookup.json", { lexicon: LEX, id: "http://example.org/countries/AW" });
    expect(r.json).toEqual({
      status: "ok",
      entries: [{ lexicon: LEX, id: "http://example.org/countries/AW", names: ["Aruba"] }],
    });
  });

  it('lookup.json pages through id "*" with limit and after', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await s.post("/soda/lookup.json", { lexicon: LEX, id: "*", limit: 100, after });
      expect(r.status).toBe(200);
      seen.push(...r.json.entries.map((e: { id: string }) => e.id));
      if (r.json.next === undefined) break;
      after = r.json.next;
    }
    expect(seen).toEqual(countries.map((c) => c.id).sort());
  });

  it.each(STREAMING_MODES)("rlookup.json in %s finds United Arab Emirates", async (matching) => {
    const phrase = matching === "exact" ? "United Arab Emirates" : "united arab emirates";
    const r = await s.post("/soda/rlookup.json", { lexicon: LEX, phrase, matching });
    expect(r.status).toBe(200);
    expect(r.json.entries).toEqual([
      { id: "http://example.org/countries/AE", lexicon: LEX, text: "United Arab Emirates", confidence: 1 },
    ]);
  });

  it("rlookup.json scores a normalized match below 1", async () => {
    const r = await s.post("/soda/rlookup.json", { lexicon: LEX, phrase: "the FRANCE", matching: "stop" });
    expect(r.json.entries).toHaveLength(1);
    expect(r.json.entries[0]).toMatchObject({ id: "http://example.org/countries/FR", text: "France" });
    expect(r.json.entries[0].confidence).toBeLessThan(1);
  });

  it.each(["lsort", "s3sort"])("rlookup.json in %s finds names by their sorted words", async (m) => {
    const r = await s.post("/soda/rlookup.json", {
      lexicon: LEX,
      phrase: "Emirates Arab United",
      matching: m,
    });
    expect(r.status).toBe(200);
    expect(r.json.entries.map((e: { id: string }) => e.id)).toContain("http://example.org/countries/AE");
  });

  it.each(["punct", "sort", "stem"])("annot.json in chunk mode %s matches whole phrases", async (m) => {
    const r = await s.post("/soda/annot.json", {
      lexicon: LEX,
      text: "They flew to the United Arab Emirates.",
      matching: m,
    });
    expect(r.status).toBe(200);
    expect(r.json.annotations.map((a: { id: string }) => a.id)).toContain("http://example.org/countries/AE");
  });

  it("annot.json in fuzzy reads OCR errors, down to the threshold asked for", async () => {
    const text = "They flew to the Unitcd Arab Ernirates.";
    const at = async (threshold?: number) => {
      const r = await s.post("/soda/annot.json", { lexicon: LEX, text, matching: "fuzzy", threshold });
      expect(r.status).toBe(200);
      return r.json.annotations as { id: string; confidence: number; coveredText: string }[];
    };
    const [ae] = (await at()).filter((a) => a.id === "http://example.org/countries/AE");
    expect(ae.coveredText).toBe("Unitcd Arab Ernirates");
    expect(ae.confidence).toBeGreaterThan(0.8);
    expect(ae.confidence).toBeLessThan(1);
    expect((await at(ae.confidence)).map((a) => a.id)).toContain("http://example.org/countries/AE");
    expect((await at(Math.min(1, ae.confidence + 0.01))).map((a) => a.id)).not.toContain(
      "http://example.org/countries/AE",
    );
    for (const bad of [1.5, -0.1, "high"]) {
      const r = await s.post("/soda/annot.json", { lexicon: LEX, text, matching: "fuzzy", threshold: bad });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe("SODA_ERR_VALIDATION");
    }
  });

  it("matchphrase.json (SoDA v1) answers annotations over the phrase", async () => {
    const r = await s.post("/soda/matchphrase.json", { lexicon: LEX, text: "china", matching: "lower" });
    expect(r.json.annotations).toEqual([
      {
        id: "http://example.org/countries/CN",
        lexicon: LEX,
        begin: 0,
        end: 5,
        coveredText: "china",
        confidence: 1,
        synonym: "China",
        matching: "lower",
      },
    ]);
  });

  it("delete.json removes one id, scoped to its lexicon, at once", async () => {
    await s.post("/soda/add.json", {
      lexicon: "other",
      id: "http://example.org/countries/AW",
      names: ["Aruba"],
    });
    const r = await s.post("/soda/delete.json", { lexicon: LEX, id: "http://example.org/countries/AW" });
    expect(r.json).toMatchObject({ status: "ok", payload: { lexicon: LEX, deleted: true } });
    const gone = await s.post("/soda/lookup.json", { lexicon: LEX, id: "http://example.org/countries/AW" });
    expect(gone.json.entries).toEqual([]);
    const a = await s.post("/soda/annot.json", { lexicon: LEX, text: "Aruba", matching: "exact" });
    expect(a.json.annotations).toEqual([]);
    const kept = await s.post("/soda/annot.json", { lexicon: "other", text: "Aruba", matching: "exact" });
    expect(kept.json.annotations).toHaveLength(1);
    const again = await s.post("/soda/delete.json", { lexicon: LEX, id: "http://example.org/countries/AW" });
    expect(again.json.payload.deleted).toBe(false);
  });

  it('delete.json with id "*" removes the lexicon', async () => {
    const r = await s.post("/soda/delete.json", { lexicon: LEX, id: "*" });
    expect(r.json).toMatchObject({ status: "ok", payload: { lexicon: LEX, id: "*", deleted: true } });
    const d = await s.get("/soda/dicts.json");
    expect(d.json.lexicons.map((l: { lexicon: string }) => l.lexicon)).toEqual(["other"]);
    const a = await s.post("/soda/annot.json", { lexicon: LEX, text: TEXT, matching: "exact" });
    expect(a.status).toBe(404);
  });
});
