import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAMING_MODES } from "../../src/text/modes.js";
import { type Running, startServer } from "./harness.js";

describe("client mistakes get 4xx {status, code, message} that say what to do", () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer({ bodyLimit: 64 * 1024 });
    await s.post("/soda/add.json", { lexicon: "countries", id: "FR", names: ["France"] });
  });
  afterAll(async () => {
    await s.app.close();
  });

  it("unknown matching mode: 400 listing the valid modes", async () => {
    const r = await s.post("/soda/annot.json", { lexicon: "countries", text: "France", matching: "fuzzzy" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      status: "error",
      code: "SODA_ERR_UNKNOWN_MODE",
      message: `unknown matching mode "fuzzzy": use one of ${STREAMING_MODES.join(", ")}`,
    });
  });

  it("a reverse-lookup-only mode on annot: 400 SODA_ERR_MODE_UNSUPPORTED", async () => {
    const r = await s.post("/soda/annot.json", { lexicon: "countries", text: "France", matching: "lsort" });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_MODE_UNSUPPORTED");
  });

  it.each([
    ["/soda/annot.json", { lexicon: "nope", text: "x", matching: "exact" }],
    ["/soda/annot.json", { lexicon: ["countries", "nope"], text: "x" }],
    ["/soda/lookup.json", { lexicon: "nope", id: "x" }],
    ["/soda/rlookup.json", { lexicon: "nope", phrase: "x", matching: "lower" }],
    ["/soda/delete.json", { lexicon: "nope", id: "x" }],
    ["/soda/coverage.json", { lexicon: "nope", text: "x" }],
  ])("unknown lexicon on %s: 404", async (path, body) => {
    const r = await s.post(path, body);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      status: "error",
      code: "SODA_ERR_UNKNOWN_LEXICON",
      message: 'unknown lexicon "nope": list lexicons with GET /soda/dicts.json',
    });
  });

  it("a body over the limit: 413", async () => {
    const r = await s.post("/soda/annot.json", { lexicon: "countries", text: "x".repeat(70_000) });
    expect(r.status).toBe(413);
    expect(r.json.code).toBe("SODA_ERR_BODY_TOO_LARGE");
    expect(r.json.message).toContain(String(64 * 1024));
  });

  it.each([
    ["application/json", '{"lexicon": "countries", "text": '],
    ["text/plain", "{lexicon: countries}"],
    ["application/json", ""],
  ])("malformed JSON (%s %j): 400", async (type, body) => {
    const r = await s.post("/soda/annot.json", body, { "content-type": type });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_BAD_JSON");
  });

  it.each([
    [{ lexicon: "countries", text: 42 }, "text must be string, got number"],
    [{ lexicon: "countries", id: "x", names: "France" }, "names must be array, got string"],
    [{ lexicon: "countries", commit: "true" }, "commit must be boolean, got string"],
    [{ lexicon: 7, text: "x" }, "lexicon must be string, got number"],
    [["not", "an", "object"], "body must be object, got array"],
    [{ text: "x" }, 'the field "lexicon" is required'],
  ])("wrong types %j: 400 naming the field", async (body, detail) => {
    const path = "commit" in body || "names" in body ? "/soda/add.json" : "/soda/annot.json";
    const r = await s.post(path, body);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_VALIDATION");
    expect(r.json.message).toBe(`invalid request: ${detail}`);
  });

  it("annot without text or docs: 400", async () => {
    const r = await s.post("/soda/annot.json", { lexicon: "countries" });
    expect(r.json).toMatchObject({ code: "SODA_ERR_VALIDATION" });
    expect(r.json.message).toContain("text");
  });

  it("add with an id but no names: 400 SODA_ERR_ENTRY", async () => {
    const r = await s.post("/soda/add.json", { lexicon: "countries", id: "DE" });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_ENTRY");
  });

  it("add to an invalid lexicon name: 400 SODA_ERR_LEXICON_NAME", async () => {
    const r = await s.post("/soda/add.json", { lexicon: "no/slashes", id: "DE", names: ["Germany"] });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_LEXICON_NAME");
  });

  it("an unknown path: 404 SODA_ERR_NOT_FOUND", async () => {
    const r = await s.get("/soda/nothing.json");
    expect(r.status).toBe(404);
    expect(r.json.code).toBe("SODA_ERR_NOT_FOUND");
  });

  it("no Content-Type at all is read as JSON (SoDA's Python client)", async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ lexicon: "countries", text: "France", matching: "exact" }),
    );
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.url}/soda/annot.json`, {
        method: "POST",
        headers: { "content-length": body.length },
      });
      req.on("response", (r) => {
        let b = "";
        r.on("data", (c) => {
          b += c;
        });
        r.on("end", () => resolve({ status: r.statusCode!, body: b }));
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).annotations[0]).toMatchObject({ id: "FR", begin: 0, end: 6 });
  });

  it("fetch with a bytes body sends no Content-Type and is accepted too", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ lexicon: "countries", text: "France" }));
    const r = await s.post("/soda/annot.json", body, {});
    expect(r.status).toBe(200);
    expect(r.json.annotations).toHaveLength(1);
  });

  it("text/plain bodies are JSON", async () => {
    const r = await s.post("/soda/annot.json", JSON.stringify({ lexicon: "countries", text: "in France" }), {
      "content-type": "text/plain; charset=utf-8",
    });
    expect(r.status).toBe(200);
    expect(r.json.annotations[0]).toMatchObject({ begin: 3, end: 9, coveredText: "France" });
  });

  it("null fields count as absent: matching null is the default, commit-only add", async () => {
    const a = await s.post("/soda/annot.json", {
      lexicon: "countries",
      text: "France",
      matching: null,
      format: null,
    });
    expect(a.status).toBe(200);
    expect(a.json.annotations[0].matching).toBe("exact");
    const c = await s.post("/soda/add.json", { lexicon: "countries", id: null, names: null, commit: true });
    expect(c.json).toMatchObject({ status: "ok", payload: { added: 0, committed: 0 } });
  });

  it("a commit-only call on a lexicon that does not exist does not create it", async () => {
    const r = await s.post("/soda/add.json", { lexicon: "ghost", commit: true });
    expect(r.status).toBe(200);
    const d = await s.get("/soda/dicts.json");
    expect(d.json.lexicons.map((l: { lexicon: string }) => l.lexicon)).toEqual(["countries"]);
  });
});
