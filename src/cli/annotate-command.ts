import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadTsv } from "../../ontologies/tsv.js";
import { Annotator } from "../annotate/annotator.js";
import { type Entry, Lexicon } from "../annotate/lexicon.js";
import { isOverlapPolicy, OVERLAP_POLICIES } from "../annotate/overlaps.js";
import type { TagLexicon } from "../annotate/segment.js";
import { LexiconStore } from "../lexicon/store.js";
import { isTextFormat, TEXT_FORMATS } from "../text/clean.js";
import { isStreamingMode, STREAMING_MODES } from "../text/modes.js";

const USAGE = `usage: soda annotate --lexicon NAME[,NAME…] --matching MODE --input FILE.jsonl --output FILE.jsonl
                     [--data-dir DIR | --tsv FILE.tsv…] [--overlaps POLICY] [--format FORMAT]

  Reads one {"id", "text"} document per input line and writes one {"id", "annotations": […]} per line,
  in input order. "-" reads standard input / writes standard output. The output file is written whole
  or not at all (temporary file, then rename).
  Lexicons: the store in --data-dir DIR (default ./data; fill it with soda load), or --tsv FILE
  (SoDA's bulk format id<TAB>name|name, named after the file or --lexicon).
  MODE: ${STREAMING_MODES.join(", ")}; POLICY: ${OVERLAP_POLICIES.join(", ")} (default LONGEST_DOMINANT_RIGHT);
  FORMAT: ${TEXT_FORMATS.join(", ")} (default text).`;

/** A usage mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  readonly code = "SODA_ERR_USAGE";
}

/** A malformed input line: names the line and what was wrong. */
export class InputLineError extends Error {
  readonly code = "SODA_ERR_INPUT";
}

async function loadEntries(file: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const e of loadTsv(file)) entries.push({ id: e.id, names: e.names });
  return entries;
}

/**
 * Resolves the lexicons named on the command line: TSV files given with --tsv, or lexicons of the
 * store in --data-dir.
 */
async function loadLexicons(names: string[], tsv: string[], dataDir: string): Promise<TagLexicon[]> {
  if (tsv.length > 0) {
    if (names.length > 0 && names.length !== tsv.length)
      throw new UsageError(`--lexicon names ${names.length} lexicons but --tsv gives ${tsv.length} files`);
    return Promise.all(
      tsv.map(async (f, i) => new Lexicon(names[i] ?? basename(f, ".tsv"), await loadEntries(f))),
    );
  }
  if (names.length === 0) throw new UsageError("--lexicon is required");
  if (!existsSync(join(dataDir, "soda.db")))
    throw new UsageError(
      `no soda data directory at ${dataDir}: load lexicons with soda load, or pass --tsv FILE`,
    );
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

/** `soda annotate`: JSONL documents in, JSONL annotations out, in-process. Returns the exit code. */
export async function annotateCommand(argv: string[], log: (line: string) => void): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        lexicon: { type: "string" },
        matching: { type: "string", default: "lower" },
        input: { type: "string" },
        output: { type: "string" },
        "data-dir": { type: "string", default: "./data" },
        tsv: { type: "string", multiple: true, default: [] },
        overlaps: { type: "string", default: "LONGEST_DOMINANT_RIGHT" },
        format: { type: "string", default: "text" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    log(`soda annotate: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const { matching, overlaps, format } = values as Record<string, string>;
  const problems: string[] = [];
  if (!isStreamingMode(matching))
    problems.push(`unknown --matching ${JSON.stringify(matching)}: use one of ${STREAMING_MODES.join(", ")}`);
  if (!isOverlapPolicy(overlaps))
    problems.push(
      `unknown --overlaps ${JSON.stringify(overlaps)}: use one of ${OVERLAP_POLICIES.join(", ")}`,
    );
  if (!isTextFormat(format))
    problems.push(`unknown --format ${JSON.stringify(format)}: use one of ${TEXT_FORMATS.join(", ")}`);
  if (!values.input) problems.push("--input is required");
  if (!values.output) problems.push("--output is required");
  if (
    problems.length > 0 ||
    !isStreamingMode(matching) ||
    !isOverlapPolicy(overlaps) ||
    !isTextFormat(format)
  ) {
    log(`soda annotate: ${problems.join("; ")}\n\n${USAGE}`);
    return 2;
  }
  const names =
    typeof values.lexicon === "string" ? values.lexicon.split(",").filter((s) => s.length > 0) : [];
  let lexicons: TagLexicon[];
  try {
    lexicons = await loadLexicons(names, values.tsv as string[], values["data-dir"] as string);
  } catch (e) {
    if (e instanceof UsageError) {
      log(`soda annotate: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const input = values.input as string;
  const output = values.output as string;
  const annotator = new Annotator();
  const options = { matching, overlaps, format };
  const started = performance.now();
  for (const l of lexicons) for (const seg of l.segments()) seg.forMode(matching);
  const compiledMs = performance.now() - started;

  const toStdout = output === "-";
  const tmp = toStdout ? "" : `${output}.tmp-${process.pid}`;
  const out: NodeJS.WritableStream & { destroy(): void } = toStdout ? process.stdout : createWriteStream(tmp);
  const rl = createInterface({
    input: input === "-" ? process.stdin : createReadStream(input, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  let docs = 0;
  let chars = 0;
  let mentions = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim().length === 0) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new InputLineError(
          `${input}:${line}: not JSON (${(e as Error).message}); expected {"id": …, "text": "…"}`,
        );
      }
      const d = doc as { id?: unknown; text?: unknown };
      if (typeof d !== "object" || d === null || typeof d.text !== "string")
        throw new InputLineError(`${input}:${line}: expected an object with a string "text" (and an "id")`);
      const annotations = annotator.annotate(d.text, lexicons, options);
      docs++;
      chars += d.text.length;
      mentions += annotations.length;
      if (!out.write(`${JSON.stringify({ id: d.id ?? null, annotations })}\n`))
        await new Promise((r) => out.once("drain", r));
    }
    if (!toStdout) {
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(() => resolve());
      });
      await rename(tmp, output);
    }
  } catch (e) {
    if (!toStdout) {
      // Wait for the stream to close before removing the file: it may still be opening it.
      out.on("error", () => {});
      const closed = new Promise((r) => out.once("close", r));
      out.destroy();
      await closed;
      await rm(tmp, { force: true });
    }
    if (e instanceof InputLineError) {
      log(`soda annotate: ${e.message}; no output written`);
      return 1;
    }
    throw e;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `soda annotate: ${docs} documents, ${chars} characters, ${mentions} annotations in ${seconds.toFixed(2)} s ` +
      `(lexicons compiled in ${(compiledMs / 1000).toFixed(2)} s)\n`,
  );
  return 0;
}
