import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startServer } from "./harness.js";

// Tagging on a pool of worker threads (the compiled dist/services/soda/tag-worker.js, built by npm test)
// must answer exactly what the main thread answers, see commits and deletes at once, and serve every
// matching mode.
describe("tagging on worker threads", () => {
  let pooled: Running;
  let inline: Running;
  const texts = [
    "Flights from France to the United States of America and Viet Nam.",
    "Calcimycin in Korea, Republic of; nothing else.",
    "",
  ];

  beforeAll(async () => {
    pooled = await startServer({ workers: 2 });
    inline = await startServer({ workers: 0 });
    const countries = readFileSync(new URL("../../ontologies/samples/countries.tsv", import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((l) => ({ id: l.split("\t")[0], names: l.split("\t")[1].split("|") }));
    const mesh = [
      { id: "D000001", names: ["Calcimycin", "A23187"] },
      { id: "D003424", names: ["Crohn Disease", "Crohn's Enteritis"] },
    ];
    for (const s of [pooled, inline]) {
      expect((await s.post("/soda/add.json", { lexicon: "countries", entries: countries })).status).toBe(200);
      expect((await s.post("/soda/add.json", { lexicon: "mesh", entries: mesh })).status).toBe(200);
    }
  });

  afterAll(async () => {
    await pooled.app.close();
    await inline.app.close();
  });

  it.each(["exact", "lower", "stop", "stem1", "stem2", "stem3", "punct", "sort", "stem"])(
    "annot.json in %s: the pool answers what the main thread answers",
    async (matching) => {
      for (const text of texts) {
        const a = await pooled.post("/soda/annot.json", { lexicon: "*", text, matching });
        const b = await inline.post("/soda/annot.json", { lexicon: "*", text, matching });
        expect(a.status).toBe(200);
        expect(a.json).toEqual(b.json);
        if (text.length > 0) expect(a.json.annotations.length).toBeGreaterThan(0);
      }
      const docs = texts.map((text, i) => ({ id: String(i), text }));
      const a = await pooled.post("/soda/annot.json", { lexicon: ["countries", "mesh"], docs, matching });
      const b = await inline.post("/soda/annot.json", { lexicon: ["countries", "mesh"], docs, matching });
      expect(a.json).toEqual(b.json);
    },
  );

  it("sees commits and deletes at once", async () => {
    const text = "A trip to Atlantis and France";
    const before = await pooled.post("/soda/annot.json", { lexicon: "countries", text, matching: "lower" });
    expect(before.json.annotations.map((a: { id: string }) => a.id)).toEqual(["FR"]);
    await pooled.post("/soda/add.json", { lexicon: "countries", id: "XA", names: ["Atlantis"] });
    const added = await pooled.post("/soda/annot.json", { lexicon: "countries", text, matching: "lower" });
    expect(added.json.annotations.map((a: { id: string }) => a.id)).toEqual(["XA", "FR"]);
    await pooled.post("/soda/delete.json", { lexicon: "countries", id: "FR" });
    const deleted = await pooled.post("/soda/annot.json", { lexicon: "countries", text, matching: "lower" });
    expect(deleted.json.annotations.map((a: { id: string }) => a.id)).toEqual(["XA"]);
  });

  it("coverage.json runs on the pool too", async () => {
    const r = await pooled.post("/soda/coverage.json", { text: texts[0], matching: "lower" });
    expect(r.status).toBe(200);
    // France was deleted by the test before: the United States and Viet Nam remain.
    expect(r.json.lexicons[0]).toMatchObject({ lexicon: "countries", count: 2 });
  });
});
