import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annotBody, SodaClient } from "../../../clients/batch/client.js";
import {
  isDocumentError,
  isSodaClientError,
  isSodaConnectionError,
  isSodaHttpError,
  isSodaTimeoutError,
  SodaHttpError,
} from "../../../clients/batch/errors.js";
import type { RunningServer } from "../../../services/soda/server.js";
import { startService } from "./helpers.js";

/** A stub service answering from `handler`, counting requests per path. */
async function stub(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const n = (counts.get(req.url!) ?? 0) + 1;
    counts.set(req.url!, n);
    req.resume();
    req.on("end", () => handler(req, res, n));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, counts, close: () => new Promise((r) => server.close(r)) };
}

const ok = (res: ServerResponse, body: object) => res.end(JSON.stringify({ status: "ok", ...body }));

describe("SodaClient against the service", () => {
  let server: RunningServer;
  let client: SodaClient;
  beforeAll(async () => {
    server = await startService();
    client = new SodaClient({ url: server.url });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("calls every endpoint", async () => {
    expect((await client.index()).message).toMatch(/SoDA/);
    expect((await client.ready()).status).toBe("ok");
    expect((await client.dicts()).lexicons.map((l) => l.lexicon)).toEqual(["countries", "mesh"]);
    const add = await client.add({ lexicon: "test", entries: [{ id: "X1", names: ["Xanadu Land"] }] });
    expect(add.payload).toMatchObject({ added: 1, committed: 1 });
    const annot = await client.annot({ lexicon: "test", text: "to xanadu land", matching: "lower" });
    expect(annot.annotations).toMatchObject([{ id: "X1", begin: 3, end: 14, coveredText: "xanadu land" }]);
    const docs = await client.annotDocs({
      lexicon: ["test", "countries"],
      docs: [
        { id: "a", text: "France" },
        { id: "b", text: "Xanadu Land" },
      ],
      matching: "exact",
    });
    expect(docs.docs.map((d) => [d.id, d.annotations.map((a) => a.id)])).toEqual([
      ["a", ["FR"]],
      ["b", ["X1"]],
    ]);
    expect((await client.coverage({ text: "France, Xanadu Land", matching: "lower" })).lexicons).toHaveLength(
      2,
    );
    expect((await client.lookup({ lexicon: "test", id: "X1" })).entries[0].names).toEqual(["Xanadu Land"]);
    expect(
      (await client.rlookup({ lexicon: "test", phrase: "xanadu land", matching: "lower" })).entries[0].id,
    ).toBe("X1");
    expect(
      (await client.matchphrase({ lexicon: "test", text: "Xanadu Land", matching: "lower" })).annotations,
    ).toHaveLength(1);
    expect((await client.regex({ text: "a1b22", patterns: { num: "\\d+" } })).annotations).toHaveLength(2);
    expect((await client.delete({ lexicon: "test", id: "X1" })).payload.deleted).toBe(true);
    expect((await client.delete({ lexicon: "test", id: "*" })).payload.deleted).toBe(true);
  });

  it("throws typed errors with the service's code", async () => {
    const e = await client.annot({ lexicon: "nope", text: "x" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SodaHttpError);
    expect(isSodaHttpError(e) && e.status === 404 && e.serverCode === "SODA_ERR_UNKNOWN_LEXICON").toBe(true);
    expect(isSodaClientError(e) && !e.transient && !isDocumentError(e)).toBe(true);
    const bad = await client
      .annot({ lexicon: "countries", text: "x", matching: "nope" as "lower" })
      .catch((x) => x);
    expect(isSodaHttpError(bad) && bad.status === 400 && isDocumentError(bad)).toBe(true);
  });

  it("answers annotJson with the annotations as the service wrote them, equal to annot's", async () => {
    const settings = { lexicon: ["countries", "mesh"], matching: "lower" as const };
    const body = annotBody(settings);
    for (const text of [
      "Crohn disease in France and Viet Nam",
      "nothing",
      'Côte d\'Ivoire "q"\t\u2028',
      "",
    ]) {
      expect(body(text)).toBe(JSON.stringify({ ...settings, text }));
      const json = await client.annotJson(body(text));
      expect(json).toBe(JSON.stringify((await client.annot({ ...settings, text })).annotations));
    }
    expect(annotBody({} as { lexicon: string })("t")).toBe('{"text":"t"}');
    const e = await client.annotJson(annotBody({ lexicon: "nope" })("x")).catch((x: unknown) => x);
    expect(isSodaHttpError(e) && e.status === 404 && e.serverCode === "SODA_ERR_UNKNOWN_LEXICON").toBe(true);
  });

  it("rejects calls whose signal aborts, before or while they are sent", async () => {
    const before = new AbortController();
    before.abort();
    const e1 = await client.annot({ lexicon: "countries", text: "France" }, before).catch((x: unknown) => x);
    expect((e1 as Error).name).toBe("AbortError");
    const during = new AbortController();
    const calls = Array.from({ length: 20 }, () =>
      client.annotJson(annotBody({ lexicon: "countries" })("France"), during).catch((x: unknown) => x),
    );
    during.abort();
    for (const e of await Promise.all(calls))
      expect(typeof e === "string" || (e as Error).name === "AbortError").toBe(true);
    // The client is still good for other calls.
    expect(await client.annotJson(annotBody({ lexicon: "countries" })("France"))).toMatch(
      /"coveredText":"France"/,
    );
  });
});

describe("SodaClient.annotJson against other answers", () => {
  it("falls back to parsing an answer of another shape, and refuses one that is not soda's", async () => {
    let n = 0;
    const s = await stub((_req, res) => {
      n++;
      if (n === 1) res.end('{ "annotations": [{"id": "X", "begin": 0}], "status": "ok" }');
      else if (n === 2) res.end('{"status":"ok","annotations":[{"id":"X"}],"docs":[]}');
      else if (n === 3) res.end('{"status":"ok","annotations":[{"coveredText":"a],"}]}');
      else if (n === 4) res.end('{"status":"ok","annotations":{}}');
      else res.end('{"status":"nope"}');
    });
    const client = new SodaClient({ url: s.url });
    expect(await client.annotJson('{"lexicon":"l","text":"t"}')).toBe('[{"id":"X","begin":0}]');
    // A key after the array is not spliced in; a string ending in "]," is a false alarm, still right.
    expect(await client.annotJson('{"lexicon":"l","text":"t"}')).toBe('[{"id":"X"}]');
    expect(await client.annotJson('{"lexicon":"l","text":"t"}')).toBe('[{"coveredText":"a],"}]');
    for (let i = 0; i < 2; i++) {
      const e = await client.annotJson('{"lexicon":"l","text":"t"}').catch((x: unknown) => x);
      expect(isSodaClientError(e) && e.code === "SODA_CLIENT_ERR_RESPONSE").toBe(true);
    }
    await client.close();
    await s.close();
  });
});

describe("SodaClient retries", () => {
  const fast = { retries: 3, minDelayMs: 5, maxDelayMs: 50 };

  it("retries annot (a POST) on 503 and 429, honouring Retry-After", async () => {
    const s = await stub((_req, res, n) => {
      if (n === 1) res.writeHead(503, { "retry-after": "1" }).end('{"status":"error"}');
      else if (n === 2) res.writeHead(429).end();
      else ok(res, { annotations: [] });
    });
    const retries: number[] = [];
    const client = new SodaClient({
      url: s.url,
      retry: { ...fast, maxDelayMs: 2000, onRetry: (e) => retries.push(e.delayMs) },
    });
    const t = performance.now();
    expect((await client.annot({ lexicon: "l", text: "t" })).annotations).toEqual([]);
    expect(performance.now() - t).toBeGreaterThanOrEqual(990);
    expect(retries[0]).toBe(1000);
    expect(s.counts.get("/soda/annot.json")).toBe(3);
    await client.close();
    await s.close();
  });

  it("gives up after the retries with the last status; does not retry 500 or delete", async () => {
    const s = await stub((req, res) => {
      if (req.url === "/soda/add.json") res.writeHead(502).end();
      else if (req.url === "/soda/delete.json")
        res.writeHead(503).end('{"status":"error","code":"SODA_ERR_BUSY","message":"busy"}');
      else res.writeHead(500).end('{"status":"error","code":"SODA_ERR_INTERNAL","message":"bug"}');
    });
    const client = new SodaClient({ url: s.url, retry: fast });
    const add = await client.add({ lexicon: "l", commit: true }).catch((e) => e);
    expect(isSodaHttpError(add) && add.status === 502 && add.transient && add.attempts === 4).toBe(true);
    expect(s.counts.get("/soda/add.json")).toBe(4);
    const del = await client.delete({ lexicon: "l", id: "x" }).catch((e) => e);
    expect(isSodaHttpError(del) && del.serverCode === "SODA_ERR_BUSY").toBe(true);
    expect(s.counts.get("/soda/delete.json")).toBe(1);
    const annot = await client.annot({ lexicon: "l", text: "t" }).catch((e) => e);
    expect(isSodaHttpError(annot) && annot.status === 500 && annot.serverCode === "SODA_ERR_INTERNAL").toBe(
      true,
    );
    expect(s.counts.get("/soda/annot.json")).toBe(1);
    await client.close();
    await s.close();
  });

  it("retries refused connections, then throws SodaConnectionError; times out with SodaTimeoutError", async () => {
    const s = await stub(() => {});
    await s.close();
    let retried = 0;
    const down = new SodaClient({ url: s.url, retry: { ...fast, onRetry: () => retried++ } });
    const e = await down.annot({ lexicon: "l", text: "t" }).catch((x) => x);
    expect(isSodaConnectionError(e) && e.transient).toBe(true);
    expect(retried).toBe(3);
    await down.close();
    const slow = await stub(() => {});
    const client = new SodaClient({ url: slow.url, headersTimeoutMs: 100, retry: { retries: 0 } });
    expect(isSodaTimeoutError(await client.dicts().catch((x) => x))).toBe(true);
    await client.close();
    await slow.close();
  });

  it("validates its options", () => {
    expect(() => new SodaClient({ url: "nope" })).toThrow(/not a URL/);
    expect(() => new SodaClient({ url: "ftp://x" })).toThrow(/http or https/);
    expect(() => new SodaClient({ url: "http://x", connections: 0 })).toThrow(/connections/);
    expect(() => new SodaClient({ url: "http://x", retry: { retries: -1 } })).toThrow(/retries/);
  });
});
