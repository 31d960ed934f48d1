import { createReadStream, existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import type { SodaClient, SodaClientOptions } from "../../clients/batch/client.js";
import { readJsonlBatches } from "../../clients/batch/documents.js";
import { isSodaClientError, isSodaHttpError, isSodaInputError } from "../../clients/batch/errors.js";
import {
  atomicFile,
  OUTPUT_FORMATS,
  type OutputFormat,
  PartitionOutput,
  streamSink,
} from "../../clients/batch/output.js";
import { annotateBatches, type OnError, RunCounters, runPartitions } from "../../clients/batch/runner.js";
import { inProcessTaggers, type OpenTagger, withFirstCall } from "../../clients/batch/taggers.js";
import type { MatchingMode } from "../../clients/batch/types.js";
import { loadTsv } from "../../ontologies/tsv.js";
import { type Entry, Lexicon } from "../annotate/lexicon.js";
import { isOverlapPolicy, OVERLAP_POLICIES } from "../annotate/overlaps.js";
import type { TagLexicon } from "../annotate/segment.js";
import { prepareTagging } from "../annotate/tagger.js";
import { CHUNK_MODES, fuzzyIndex, isChunkMode } from "../fuzzy/index.js";
import { LexiconStore } from "../lexicon/store.js";
import { isTextFormat, TEXT_FORMATS } from "../text/clean.js";
import { isStreamingMode, STREAMING_MODES } from "../text/modes.js";

/** The modes `soda annotate` serves in-process: streaming and chunk modes. */
const ANNOTATE_MODES = [...STREAMING_MODES, ...CHUNK_MODES];

const USAGE = `usage: soda annotate --lexicon NAME[,NAME…] --matching MODE --input PATH --output PATH
                     [--url URL | --data-dir DIR | --tsv FILE.tsv…] [--overlaps POLICY]
                     [--threshold T] [--text-format FORMAT] [--output-format jsonl|standoff] [--on-error fail|emit]
                     [--concurrency N] [--partitions P] [--retries N] [--api-key KEY]
       soda annotate --stdin --url URL --lexicon NAME --matching MODE …   (for Spark's RDD.pipe)

  Reads {"id", "text"} documents (one JSON object per line; other fields are ignored) and writes one
  {"id", "annotations": […]} line per document, in input order.
  Where the lexicons are: --url URL, a running soda service; or in-process, the store in --data-dir DIR
  (default ./data; fill it with soda load) or --tsv FILE (SoDA's bulk format id<TAB>name|name).

  --input FILE, --output FILE   one JSONL file; the output is written whole or not at all. "-" is
                                standard input / output.
  --input DIR, --output DIR     a directory of partitions as Spark writes them (part-*.jsonl, *.jsonl.gz;
                                each *.txt file is one document, its id the file name): one output file
                                per partition, renamed into place when complete, then _SUCCESS. Run the
                                same command again after a failure or a kill: finished partitions are
                                kept, the others are redone, each document is written exactly once.
  --stdin                       standard input to standard output, as RDD.pipe needs: settings from
                                arguments only (no environment), exit 0 on empty input, non-zero on a
                                failure that retries did not fix.
  --concurrency N               requests in flight per partition (default 8); --partitions P at once
                                (default 2). Keep N × P within the service's SODA_MAX_IN_FLIGHT (64).
  --on-error fail|emit          fail (default) stops at the first failure; emit writes {"id", "error"}
                                for a document the service refuses or an unreadable line, and goes on
                                (an unreachable service still stops the run).
  --output-format jsonl|standoff  standoff: one tab-separated line per annotation
                                (docId, entityId, lexicon, begin, end, coveredText, confidence).
  --threshold T                 punct, sort, stem, fuzzy: the least confidence a match needs, 0 to 1
                                (default 0.8 for fuzzy).
  --text-format FORMAT          how to read the text: ${TEXT_FORMATS.join(", ")} (default text); --format is
                                the older name of this flag and still works.
  MODE: ${ANNOTATE_MODES.join(", ")}; POLICY: ${OVERLAP_POLICIES.join(", ")} (default LONGEST_DOMINANT_RIGHT).`;

/** A usage mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  readonly code = "SODA_ERR_USAGE";
}

/** The command line, validated. */
interface Settings {
  names: string[];
  matching: string;
  overlaps: (typeof OVERLAP_POLICIES)[number];
  /** Chunk modes and fuzzy: the least confidence (the engine's default when absent). */
  threshold?: number;
  textFormat: (typeof TEXT_FORMATS)[number];
  outputFormat: OutputFormat;
  onError: OnError;
  input: string;
  output: string;
  concurrency: number;
  partitions: number;
  /** With --url: the client's settings (retries are counted into the run's counters). */
  client?: SodaClientOptions;
}

function count(name: string, raw: string, problems: string[]): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < (name === "retries" ? 0 : 1))
    problems.push(
      `--${name} takes a ${name === "retries" ? "non-negative" : "positive"} integer, got ${raw}`,
    );
  return n;
}

/**
 * Validates the flags; returns the problems found instead when there are any. `Client`: the HTTP
 * client's class, loaded only when there is a --url.
 */
function settingsOf(
  values: ReturnType<typeof parse>["values"],
  Client: typeof SodaClient | undefined,
): Settings | string[] {
  const problems: string[] = [];
  const { matching, overlaps } = values;
  const textFormat = values["text-format"] ?? values.format ?? "text";
  const url = values.url;
  if (values["text-format"] !== undefined && values.format !== undefined)
    problems.push("--format is the old name of --text-format: give one of them");
  // The service validates its own modes (it may serve more than this build); in-process, ours.
  if (url === undefined && !isStreamingMode(matching) && !isChunkMode(matching))
    problems.push(`unknown --matching ${JSON.stringify(matching)}: use one of ${ANNOTATE_MODES.join(", ")}`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(values.threshold!.trim() !== "" && threshold >= 0 && threshold <= 1))
    problems.push(`--threshold ${JSON.stringify(values.threshold)}: give a number from 0 to 1 (e.g. 0.85)`);
  if (!isOverlapPolicy(overlaps))
    problems.push(
      `unknown --overlaps ${JSON.stringify(overlaps)}: use one of ${OVERLAP_POLICIES.join(", ")}`,
    );
  if (!isTextFormat(textFormat) && !(url !== undefined && textFormat === "hocr"))
    problems.push(
      `unknown --text-format ${JSON.stringify(textFormat)}: use one of ${TEXT_FORMATS.join(", ")}`,
    );
  const outputFormat = values["output-format"];
  if (!(OUTPUT_FORMATS as readonly string[]).includes(outputFormat))
    problems.push(`unknown --output-format ${JSON.stringify(outputFormat)}: use jsonl or standoff`);
  const onError = values["on-error"];
  if (onError !== "fail" && onError !== "emit")
    problems.push(`unknown --on-error ${JSON.stringify(onError)}: use fail or emit`);
  const input = values.stdin ? "-" : values.input;
  const output = values.stdin ? "-" : values.output;
  if (values.stdin && (values.input !== undefined || values.output !== undefined))
    problems.push("--stdin reads standard input and writes standard output: drop --input and --output");
  if (!input) problems.push("--input is required");
  if (!output) problems.push("--output is required");
  if (url !== undefined && values.tsv.length > 0) problems.push("--url and --tsv exclude each other");
  const concurrency = count("concurrency", values.concurrency, problems);
  const partitions = count("partitions", values.partitions, problems);
  const retries = count("retries", values.retries, problems);
  const names = (values.lexicon ?? "").split(",").filter((s) => s.length > 0);
  if (url !== undefined && names.length === 0) problems.push("--lexicon is required with --url");
  if (problems.length > 0) return problems;
  let client: SodaClientOptions | undefined;
  if (url !== undefined) {
    client = { url, connections: concurrency, retry: { retries } };
    if (values["api-key"] !== undefined) client.apiKey = values["api-key"];
    try {
      new Client!(client).close();
    } catch (e) {
      return [`--url: ${(e as Error).message}`];
    }
  }
  return {
    names,
    matching,
    overlaps: overlaps as Settings["overlaps"],
    threshold,
    textFormat: textFormat as Settings["textFormat"],
    outputFormat: outputFormat as OutputFormat,
    onError: onError as OnError,
    input: input!,
    output: output!,
    concurrency,
    partitions,
    client,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      lexicon: { type: "string" },
      matching: { type: "string", default: "lower" },
      input: { type: "string" },
      output: { type: "string" },
      stdin: { type: "boolean", default: false },
      url: { type: "string" },
      "api-key": { type: "string" },
      "data-dir": { type: "string", default: "./data" },
      tsv: { type: "string", multiple: true, default: [] },
      overlaps: { type: "string", default: "LONGEST_DOMINANT_RIGHT" },
      threshold: { type: "string" },
      "text-format": { type: "string" },
      format: { type: "string" },
      "output-format": { type: "string", default: "jsonl" },
      "on-error": { type: "string", default: "fail" },
      concurrency: { type: "string", default: "8" },
      partitions: { type: "string", default: "2" },
      retries: { type: "string", default: "6" },
      help: { type: "boolean", default: false },
    },
  });
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

/**
 * Checks the settings against the service once, before any document: an unknown lexicon or mode, a
 * wrong URL, are usage mistakes, not per-document errors.
 */
async function probe(s: Settings, annot: Record<string, unknown>): Promise<void> {
  const { SodaClient } = await import("../../clients/batch/client.js");
  const client = new SodaClient({ ...s.client!, retry: { retries: 2 } });
  try {
    await client.annot({ ...(annot as { lexicon: string }), text: "" });
  } catch (e) {
    if (isSodaHttpError(e) && e.status >= 400 && e.status < 500) throw new UsageError(e.message);
    throw e;
  } finally {
    await client.close();
  }
}

/** The taggers the settings ask for: the service's, or in-process ones. */
async function openTaggers(
  s: Settings,
  values: ReturnType<typeof parse>["values"],
  counters: RunCounters,
): Promise<OpenTagger> {
  if (s.client) {
    const lexicon = s.names.length === 1 ? s.names[0] : s.names;
    const annot = {
      lexicon,
      matching: s.matching as MatchingMode,
      overlaps: s.overlaps,
      ...(s.threshold === undefined ? {} : { threshold: s.threshold }),
      format: s.textFormat,
    };
    const { httpTaggers } = await import("../../clients/batch/http-taggers.js");
    const open = httpTaggers(
      { ...s.client, retry: { ...s.client.retry, onRetry: () => counters.retries++ } },
      annot,
    );
    // Probed on the first document, not before: empty input (an empty Spark partition) needs no service.
    // (withFirstCall keeps the tagger's annotateJson, so answers are spliced into the output unparsed.)
    return withFirstCall(open, () => probe(s, annot));
  }
  const lexicons = await loadLexicons(s.names, values.tsv, values["data-dir"]);
  const matching = s.matching as (typeof ANNOTATE_MODES)[number];
  // Compile (or load) each segment for the mode before the clock of the first document starts, with its
  // first-token filter complete (a batch job pays for all of it anyway, and no document is then tagged
  // at the unfiltered rate); the fuzzy mode builds its index of the names instead (the other chunk
  // modes build theirs on first use).
  for (const l of lexicons)
    for (const seg of l.segments())
      if (isStreamingMode(matching)) prepareTagging(seg.forMode(matching));
      else if (matching === "fuzzy") fuzzyIndex(seg);
  return inProcessTaggers(lexicons, {
    matching,
    overlaps: s.overlaps,
    format: s.textFormat as "text",
    threshold: s.threshold,
  });
}

/** One JSONL stream (a file or standard input) into one output (a file written atomically, or stdout). */
async function annotateStream(s: Settings, openTagger: OpenTagger, counters: RunCounters): Promise<void> {
  const toStdout = s.output === "-";
  const main = toStdout
    ? streamSink(process.stdout)
    : await atomicFile(s.output, `${s.output}.tmp-${process.pid}`);
  const output = new PartitionOutput(main, s.outputFormat, async () =>
    toStdout
      ? streamSink(process.stderr)
      : atomicFile(`${s.output}.errors.jsonl`, `${s.output}.errors.jsonl.tmp-${process.pid}`),
  );
  const source = s.input === "-" ? process.stdin : createReadStream(s.input);
  const tagger = openTagger();
  try {
    await annotateBatches(readJsonlBatches(source, s.input === "-" ? "stdin" : s.input), tagger, output, {
      concurrency: s.concurrency,
      onError: s.onError,
      counters,
    });
    await output.commit();
  } catch (e) {
    await output.discard();
    throw e;
  } finally {
    await tagger.close();
  }
}

/**
 * `soda annotate`: JSONL documents in, JSONL (or standoff) annotations out, against a service or
 * in-process, for a file, standard input or a directory of partitions. Returns the exit code.
 */
export async function annotateCommand(argv: string[], log: (line: string) => void): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (e) {
    log(`soda annotate: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const s = settingsOf(
    values,
    values.url === undefined ? undefined : (await import("../../clients/batch/client.js")).SodaClient,
  );
  if (Array.isArray(s)) {
    log(`soda annotate: ${s.join("; ")}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const counters = new RunCounters();
  const directory = s.input !== "-" && existsSync(s.input) && statSync(s.input).isDirectory();
  try {
    if (directory && s.output === "-") throw new UsageError("a directory --input needs a directory --output");
    const openTagger = await openTaggers(s, values, counters);
    if (directory) {
      const report = await runPartitions({
        input: s.input,
        output: s.output,
        openTagger,
        concurrency: s.concurrency,
        partitions: s.partitions,
        format: s.outputFormat,
        onError: s.onError,
        counters,
        progress: process.stderr,
      });
      log(
        `soda annotate: ${report.partitions - report.skipped} partitions annotated, ${report.skipped} already done`,
      );
    } else await annotateStream(s, openTagger, counters);
  } catch (e) {
    if (e instanceof UsageError) {
      log(`soda annotate: ${e.message}`);
      return 2;
    }
    if (isSodaInputError(e)) {
      log(`soda annotate: ${e.message}; no output written`);
      return 1;
    }
    if (isSodaClientError(e)) {
      log(
        `soda annotate: ${e.message}\n` +
          (directory
            ? "finished partitions are kept: run the same command again to do the rest"
            : "no output written"),
      );
      return 1;
    }
    throw e;
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `soda annotate: ${counters.documents} documents, ${counters.annotations} annotations, ` +
      `${counters.errors} errors, ${counters.retries} retries in ${seconds.toFixed(2)} s ` +
      `(${Math.round(counters.documents / Math.max(seconds, 1e-9))} documents/s)`,
  );
  return 0;
}
