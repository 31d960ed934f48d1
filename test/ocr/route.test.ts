import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Reply, type Running, startServer } from "../services/harness.js";

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/ocr/${f}`, import.meta.url));

describe("POST /soda/ocr.json", () => {
  let s: Running;
  const modelsDir = process.env.SODA_OCR_MODELS;
  beforeAll(async () => {
    // The route runs the default (auto) models: pin v4 with an empty models directory, so that the
    // expectations hold whether or not PP-OCRv6 tiny is fetched on this machine.
    process.env.SODA_OCR_MODELS = join(mkdtempSync(join(tmpdir(), "soda-no-models-")), "none");
    s = await startServer();
    s.app.store.add(
      "drugs",
      [
        { id: "D001241", names: ["aspirin"] },
        { id: "D015470", names: ["acute myeloid leukemia"] },
      ],
      { commit: true },
    );
  });
  afterAll(async () => {
    await s.app.close();
    if (modelsDir === undefined) delete process.env.SODA_OCR_MODELS;
    else process.env.SODA_OCR_MODELS = modelsDir;
  });

  const upload = async (image: Uint8Array, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("image", new Blob([image], { type: "image/png" }), "page.png");
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await fetch(`${s.url}/soda/ocr.json`, { method: "POST", body: form });
    return { status: res.status, json: (await res.json()) as Reply["json"] };
  };

  it("answers the text, words with boxes, and annotations with boxes", async () => {
    const r = await upload(readFileSync(fixture("lines.png")), { lexicon: "drugs", matching: "lower" });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.status).toBe("ok");
    expect(r.json.text).toBe(readFileSync(fixture("lines.txt"), "utf8").trim());
    expect(r.json.words[0]).toEqual({
      text: "Patients",
      box: expect.objectContaining({ x: expect.any(Number) }),
      confidence: expect.any(Number),
      begin: 0,
      end: 8,
    });
    const byId = Object.fromEntries(r.json.annotations.map((a: { id: string }) => [a.id, a]));
    expect(byId.D015470.boxes).toHaveLength(2);
    expect(byId.D001241).toMatchObject({ coveredText: "Aspirin", boxes: [expect.any(Object)] });
  }, 60_000);

  it("refuses an undecodable image with SODA_ERR_IMAGE", async () => {
    const r = await upload(new TextEncoder().encode("this is not a picture"));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: "error", code: "SODA_ERR_IMAGE" });
  });

  it("refuses a request without an image, an unknown lexicon and an unknown mode", async () => {
    const noImage = await s.post("/soda/ocr.json", { lexicon: "drugs" });
    expect(noImage.status).toBe(400);
    expect(noImage.json.code).toBe("SODA_ERR_VALIDATION");
    const png = readFileSync(fixture("lines.png"));
    expect((await upload(png, { lexicon: "nope" })).json.code).toBe("SODA_ERR_UNKNOWN_LEXICON");
    expect((await upload(png, { matching: "bogus" })).json.code).toBe("SODA_ERR_UNKNOWN_MODE");
  });
});
