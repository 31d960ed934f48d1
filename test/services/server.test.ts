import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../services/soda/config.js";
import { startServer } from "../../services/soda/server.js";

// biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
type Json = any;
const post = async (url: string, path: string, body: unknown): Promise<Json> =>
  (await fetch(url + path, { method: "POST", body: JSON.stringify(body) })).json();
const get = async (url: string, path: string): Promise<Json> => (await fetch(url + path)).json();

describe("server.ts: the embedded default", () => {
  it("fills an empty data directory with the samples, once, and keeps them across restarts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "soda-samples-"));
    const config = resolveConfig({ dataDir, port: 0, logLevel: "silent" });
    const first = await startServer(config);
    const dicts = await get(first.url, "/soda/dicts.json");
    const byName = Object.fromEntries(
      dicts.lexicons.map((l: { lexicon: string; count: number }) => [l.lexicon, l.count]),
    );
    expect(byName.countries).toBe(249);
    expect(byName.mesh).toBeGreaterThan(10);
    const a = await post(first.url, "/soda/annot.json", {
      lexicon: "*",
      text: "Calcimycin was tested in France.",
      matching: "lower",
    });
    expect(
      a.annotations.map((x: { lexicon: string; coveredText: string }) => `${x.lexicon}:${x.coveredText}`),
    ).toEqual(["countries:France", "mesh:Calcimycin"]);
    await post(first.url, "/soda/delete.json", { lexicon: "mesh", id: "*" });
    await first.close();

    const second = await startServer(config);
    const again = await get(second.url, "/soda/dicts.json");
    expect(again.lexicons.map((l: { lexicon: string }) => l.lexicon)).toEqual(["countries"]);
    await second.close();
  });

  it("leaves the data directory empty with samples off", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "soda-samples-"));
    const s = await startServer(resolveConfig({ dataDir, port: 0, logLevel: "silent", samples: false }));
    expect((await get(s.url, "/soda/dicts.json")).lexicons).toEqual([]);
    await s.close();
  });
});
