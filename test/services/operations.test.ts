import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startServer } from "./harness.js";

/** Starts a POST whose body is not finished: the request stays in progress until `finish` is called. */
function openRequest(url: string, path: string, body: string) {
  const bytes = Buffer.from(body);
  const req = request(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": bytes.length },
  });
  const response = new Promise<{ status: number; json: { status: string } }>((resolve, reject) => {
    req.on("response", (r) => {
      let b = "";
      r.on("data", (c) => {
        b += c;
      });
      r.on("end", () => resolve({ status: r.statusCode!, json: JSON.parse(b) }));
    });
    req.on("error", reject);
  });
  req.write(bytes.subarray(0, 5));
  return { response, finish: () => req.end(bytes.subarray(5)) };
}

describe("operations", () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer();
    await s.post("/soda/add.json", {
      lexicon: "countries",
      entries: [
        { id: "FR", names: ["France"] },
        { id: "CN", names: ["China"] },
      ],
    });
    await s.post("/soda/add.json", { lexicon: "cities", id: "PAR", names: ["Paris"] });
  });
  afterAll(async () => {
    await s.app.close();
  });

  it("/health and /ready answer ok", async () => {
    expect((await s.get("/health")).json).toEqual({ status: "ok", message: "alive" });
    const r = await s.get("/ready");
    expect(r.status).toBe(200);
    expect(r.json.message).toBe("ready: 2 lexicons");
  });

  it("/metrics counts requests by route and status, documents and lexicon sizes", async () => {
    await s.post("/soda/annot.json", {
      lexicon: "countries",
      docs: [
        { id: "a", text: "France" },
        { id: "b", text: "" },
      ],
    });
    await s.post("/soda/annot.json", { lexicon: "nope", text: "x" });
    const r = await s.get("/metrics");
    expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = r.json as string;
    expect(text).toMatch(
      /soda_http_requests_total\{route="\/soda\/annot.json",method="POST",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /soda_http_requests_total\{route="\/soda\/annot.json",method="POST",status="404"\} 1/,
    );
    expect(text).toMatch(/soda_documents_total\{route="annot"\} [2-9]/);
    expect(text).toContain('soda_lexicon_entries{lexicon="countries"} 2');
    expect(text).toContain("soda_http_request_duration_seconds_bucket");
    expect(text).toMatch(/soda_http_request_bytes_total\{route="\/soda\/annot.json"\} \d+/);
  });

  it("/soda/openapi.json documents every endpoint from the route schemas", async () => {
    const r = await s.get("/soda/openapi.json");
    expect(r.json.openapi).toBe("3.0.3");
    for (const p of ["add", "delete", "annot", "coverage", "lookup", "rlookup", "matchphrase", "regex"])
      expect(r.json.paths[`/soda/${p}.json`].post.requestBody).toBeDefined();
    for (const p of ["index", "dicts"]) expect(r.json.paths[`/soda/${p}.json`].get).toBeDefined();
    const codes = Object.keys(r.json.paths["/soda/annot.json"].post.responses).map((c) => c.toLowerCase());
    expect(codes).toEqual(expect.arrayContaining(["200", "4xx", "5xx"]));
  });

  it("annot extensions: a list of lexicons, '*', docs, overlaps and format", async () => {
    const text = "<p>Paris, <b>France</b></p>";
    const list = await s.post("/soda/annot.json", { lexicon: ["countries", "cities"], text, format: "html" });
    expect(list.json.annotations.map((a: { coveredText: string }) => a.coveredText)).toEqual([
      "France",
      "Paris",
    ]);
    expect(list.json.annotations[0]).toMatchObject({ begin: 13, end: 19 });
    const all = await s.post("/soda/annot.json", { lexicon: "*", docs: [{ id: "d1", text: "Paris" }] });
    expect(all.json).toEqual({
      status: "ok",
      docs: [
        {
          id: "d1",
          annotations: [
            {
              id: "PAR",
              lexicon: "cities",
              begin: 0,
              end: 5,
              coveredText: "Paris",
              confidence: 1,
              synonym: "Paris",
              matching: "exact",
            },
          ],
        },
      ],
    });
    const bad = await s.post("/soda/annot.json", { lexicon: "cities", text: "x", overlaps: "SOME" });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("ALL, NO_SUB, LONGEST_DOMINANT_RIGHT");
  });

  it("regex.json returns matches as annotations named after their pattern", async () => {
    const r = await s.post("/soda/regex.json", {
      text: "Call 555-1234 or 555-9876 before 2024.",
      patterns: { phone: "\\d{3}-\\d{4}", year: "\\b(19|20)\\d\\d\\b" },
    });
    expect(
      r.json.annotations.map(
        (a: { lexicon: string; coveredText: string }) => `${a.lexicon}:${a.coveredText}`,
      ),
    ).toEqual(["phone:555-1234", "phone:555-9876", "year:2024"]);
  });

  it("regex.json: an invalid pattern is 400 naming it", async () => {
    const r = await s.post("/soda/regex.json", { text: "x", patterns: { broken: "(a" } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("SODA_ERR_REGEX_INVALID");
    expect(r.json.message).toContain('"broken"');
  });

  it("regex.json: catastrophic backtracking trips the time limit (422) and the server stays up", async () => {
    const started = Date.now();
    const r = await s.post("/soda/regex.json", { text: `${"a".repeat(40)}!`, patterns: { evil: "^(a+)+$" } });
    expect(r.status).toBe(422);
    expect(r.json.code).toBe("SODA_ERR_REGEX_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await s.get("/health")).status).toBe(200);
  });
});

describe("API key", () => {
  let s: Running;
  const KEY = "s3cret-key-123";
  beforeAll(async () => {
    s = await startServer({ apiKey: KEY });
  });
  afterAll(async () => {
    await s.app.close();
  });

  it("add and delete need it: 401 without or with a wrong one", async () => {
    const body = { lexicon: "l", id: "x", names: ["x"] };
    const attempts: Record<string, string>[] = [
      {},
      { "x-api-key": "wrong-key-456" },
      { authorization: "Bearer nope" },
    ];
    for (const headers of attempts) {
      const r = await s.post("/soda/add.json", body, { "content-type": "application/json", ...headers });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe("SODA_ERR_UNAUTHORIZED");
      expect(r.headers.get("www-authenticate")).toContain("Bearer");
    }
    const d = await s.post("/soda/delete.json", { lexicon: "l", id: "*" });
    expect(d.status).toBe(401);
  });

  it("accepts x-api-key and Authorization: Bearer; reading needs no key", async () => {
    const a = await s.post(
      "/soda/add.json",
      { lexicon: "l", id: "x", names: ["x"] },
      { "content-type": "application/json", "x-api-key": KEY },
    );
    expect(a.status).toBe(200);
    expect((await s.post("/soda/annot.json", { lexicon: "l", text: "x" })).json.annotations).toHaveLength(1);
    const d = await s.post(
      "/soda/delete.json",
      { lexicon: "l", id: "*" },
      { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    );
    expect(d.status).toBe(200);
  });
});

describe("back-pressure and graceful shutdown", () => {
  it("answers 503 with Retry-After when the in-flight bound is reached", async () => {
    const s = await startServer({ maxInFlight: 1 });
    await s.post("/soda/add.json", { lexicon: "l", id: "x", names: ["Paris"] });
    const held = openRequest(s.url, "/soda/annot.json", JSON.stringify({ lexicon: "l", text: "Paris" }));
    await new Promise((r) => setTimeout(r, 100));
    const busy = await s.post("/soda/annot.json", { lexicon: "l", text: "Paris" });
    expect(busy.status).toBe(503);
    expect(busy.json.code).toBe("SODA_ERR_BUSY");
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await s.get("/soda/dicts.json")).status).toBe(200);
    held.finish();
    expect((await held.response).status).toBe(200);
    expect((await s.post("/soda/annot.json", { lexicon: "l", text: "Paris" })).status).toBe(200);
    await s.app.close();
  });

  it("close() drains a request in progress before closing the store", async () => {
    const s = await startServer();
    await s.post("/soda/add.json", { lexicon: "l", id: "x", names: ["Paris"] });
    const held = openRequest(s.url, "/soda/annot.json", JSON.stringify({ lexicon: "l", text: "Paris" }));
    await new Promise((r) => setTimeout(r, 100));
    let closed = false;
    const started = Date.now();
    const closing = s.app.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    held.finish();
    const r = await held.response;
    expect(r.status).toBe(200);
    expect(r.json.status).toBe("ok");
    await closing;
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
