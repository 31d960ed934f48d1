import { setMaxListeners } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { JsonBytes } from "../../src/annotate/annotator.js";
import { type InputItem, listPartitions, type Partition, readPartitionBatches } from "./documents.js";
import { isDocumentError, isSodaClientError, type SodaClientError } from "./errors.js";
import { OrderedWindow } from "./ordered-window.js";
import {
  formatError,
  formatJsonResult,
  formatResult,
  type OutputFormat,
  outputExtension,
  type PartitionOutput,
  partitionFile,
} from "./output.js";
import { Progress } from "./progress.js";
import type { OpenTagger, Tagger } from "./taggers.js";
import type { Annotation } from "./types.js";

/**
 * The partition runner: annotates a directory of partition files into a directory of output files, one
 * per partition, resumable.
 *
 * - Each partition is annotated in input order, with up to `concurrency` calls in flight through its own
 *   tagger (client); up to `partitions` partitions run at once.
 * - A partition's output is written to `OUTPUT/_temporary/` and renamed into place when complete, so
 *   **a partition is finished exactly when its output file exists**. A rerun skips finished partitions,
 *   deletes `_temporary` (what a killed run left) and redoes the others from their first document: every
 *   document appears exactly once whatever happened to the run or the service before.
 * - `_SUCCESS` is written once every partition is finished.
 * - `onError: "fail"` stops at the first failure (no new partition starts; those running finish or fail);
 *   `"emit"` writes `{id, error}` for document errors (bad input, a 4xx for the document) and still
 *   stops on the others (service down, unknown lexicon), so that an outage never passes for a result.
 *
 * One run per output directory at a time.
 */

/** What to do with a document the service refuses, or an input line that is not a document. */
export type OnError = "fail" | "emit";

/** Counters of a run, updated as it goes. */
export class RunCounters {
  documents = 0;
  annotations = 0;
  errors = 0;
  retries = 0;
  /** Input bytes read, for the ETA. */
  bytes = 0;
}

/** Options of {@link annotateItems}. */
export interface AnnotateItemsOptions {
  /** Calls in flight. */
  concurrency: number;
  onError: OnError;
  counters: RunCounters;
  /** Called after each document (progress display). */
  onDocument?: () => void;
}

/** Output text gathered before it is handed to the output: one write per this many characters. */
const WRITE_CHUNK = 64 * 1024;

/** What a call gives: annotations parsed, or as JSON text, or (with `emit`) the document's error. */
type Result = Annotation[] | string | SodaClientError | undefined;

/** Annotations in the JSON text of an array of them: each has one `"begin":` key, and a string value cannot hold that key unescaped. */
function countAnnotations(json: string): number {
  let n = 0;
  for (let i = json.indexOf('"begin":'); i !== -1; i = json.indexOf('"begin":', i + 8)) n++;
  return n;
}

/**
 * Annotates `items` in order into `output` (not committed here). Throws the failure that ends it: any
 * error with `onError: "fail"`, the non-document ones with `"emit"`.
 */
export function annotateItems(
  items: AsyncIterable<InputItem>,
  tagger: Tagger,
  output: PartitionOutput,
  options: AnnotateItemsOptions,
): Promise<void> {
  return annotate(items, false, tagger, output, options);
}

/** {@link annotateItems} over batches of items (as {@link readPartitionBatches} reads them). */
export function annotateBatches(
  batches: AsyncIterable<readonly InputItem[]>,
  tagger: Tagger,
  output: PartitionOutput,
  options: AnnotateItemsOptions,
): Promise<void> {
  return annotate(batches, true, tagger, output, options);
}

/**
 * The loop of {@link annotateItems}: inputs are pushed into an {@link OrderedWindow}, results come back
 * in order and are appended to one string, which goes to the output every {@link WRITE_CHUNK}
 * characters. With a tagger that has {@link Tagger.annotateJson} and JSONL output, the service's
 * annotations are spliced into the output lines as they came, never parsed.
 */
async function annotate(
  inputs: AsyncIterable<InputItem> | AsyncIterable<readonly InputItem[]>,
  batched: boolean,
  tagger: Tagger,
  output: PartitionOutput,
  options: AnnotateItemsOptions,
): Promise<void> {
  const into = output.format === "jsonl" ? tagger.annotateJsonInto?.bind(tagger) : undefined;
  if (into) return annotateInto(inputs, batched, into, output, options);
  const { counters, onError, onDocument } = options;
  const abort = new AbortController();
  const { signal } = abort;
  // Listened to once by the client for all its calls, and by each call waiting to retry: a known,
  // bounded number.
  setMaxListeners(2 * options.concurrency + 8, signal);
  const json = output.format === "jsonl" ? tagger.annotateJson?.bind(tagger) : undefined;
  const emit = onError === "emit";
  const keep = (e: unknown): SodaClientError => {
    if (isDocumentError(e)) return e as SodaClientError;
    throw e;
  };
  const call = (item: InputItem): Promise<Result> => {
    if ("error" in item) return Promise.resolve(undefined);
    const p = json ? json(item.text, signal) : tagger.annotate(item.text, signal);
    return emit ? p.catch(keep) : p;
  };
  let text = "";
  let writing: Promise<void> | undefined;
  const write = (): Promise<void> => {
    if (writing) return writing;
    const t = text;
    text = "";
    writing = output.writeText(t).then(() => {
      writing = undefined;
    });
    return writing;
  };
  const each = (result: Result, item: InputItem): undefined | Promise<void> => {
    counters.documents++;
    if ("error" in item || (result !== undefined && !Array.isArray(result) && typeof result !== "string")) {
      const error = "error" in item ? item.error : (result as SodaClientError);
      if (!emit) throw error;
      counters.errors++;
      if (output.format === "jsonl") text += formatError(item.id, error);
      else {
        const w = output.writeError(item.id, error);
        onDocument?.();
        return w;
      }
    } else if (typeof result === "string") {
      counters.annotations += countAnnotations(result);
      text += formatJsonResult(item.id, result);
    } else {
      const annotations = result as Annotation[];
      counters.annotations += annotations.length;
      text += formatResult(item.id, annotations, output.format);
    }
    onDocument?.();
    return text.length >= WRITE_CHUNK ? write() : undefined;
  };
  const window = new OrderedWindow(call, each, { concurrency: options.concurrency });
  try {
    if (batched) {
      for await (const batch of inputs as AsyncIterable<readonly InputItem[]>)
        for (const item of batch) {
          if (window.full) await window.room();
          window.push(item);
        }
    } else
      for await (const item of inputs as AsyncIterable<InputItem>) {
        if (window.full) await window.room();
        window.push(item);
      }
    await window.finish();
    await writing;
    if (text.length > 0) await write();
  } catch (e) {
    if (isSodaClientError(e)) counters.errors++;
    // Calls still in flight are of no use once the partition has failed.
    abort.abort();
    throw e;
  }
}

/** Bytes of output an in-process run gathers before it writes them (one of its two buffers). */
const WRITE_BYTES = 1 << 20;

/**
 * {@link annotate} with a tagger that writes JSON bytes synchronously ({@link Tagger.annotateJsonInto},
 * the in-process engine), for JSONL output: each document in turn, its line written straight into one
 * of two reused byte buffers, which go to the output whole while the other fills. No window, no
 * promise, string or buffer per document, nothing for the collector.
 */
async function annotateInto(
  inputs: AsyncIterable<InputItem> | AsyncIterable<readonly InputItem[]>,
  batched: boolean,
  into: (text: string, out: JsonBytes) => number,
  output: PartitionOutput,
  options: AnnotateItemsOptions,
): Promise<void> {
  const { counters, onDocument } = options;
  const emit = options.onError === "emit";
  let out = new JsonBytes();
  let spare = new JsonBytes();
  let writing: Promise<void> | undefined;
  const flush = async () => {
    // The spare buffer is free once its write is done (a sink is done with bytes when write resolves).
    if (writing) await writing;
    const full = out;
    out = spare;
    spare = full;
    out.reset();
    writing = output.writeText(full.bytes.subarray(0, full.length));
  };
  const each = (item: InputItem): undefined | Promise<void> => {
    counters.documents++;
    if ("error" in item) {
      if (!emit) throw item.error;
      counters.errors++;
      out.append(formatError(item.id, item.error));
    } else {
      const mark = out.length;
      // `{"id":…,"annotations":`, the array, then `}` and the newline.
      out.append(formatJsonResult(item.id, "").slice(0, -2));
      try {
        counters.annotations += into(item.text, out);
      } catch (e) {
        if (!emit || !isDocumentError(e)) throw e;
        counters.errors++;
        out.length = mark;
        out.append(formatError(item.id, e as SodaClientError));
        onDocument?.();
        return out.length >= WRITE_BYTES ? flush() : undefined;
      }
      const p = out.room(2);
      out.bytes[p] = 0x7d;
      out.bytes[p + 1] = 0x0a;
      out.length = p + 2;
    }
    onDocument?.();
    return out.length >= WRITE_BYTES ? flush() : undefined;
  };
  try {
    if (batched) {
      for await (const batch of inputs as AsyncIterable<readonly InputItem[]>)
        for (const item of batch) {
          const w = each(item);
          if (w) await w;
        }
    } else
      for await (const item of inputs as AsyncIterable<InputItem>) {
        const w = each(item);
        if (w) await w;
      }
    if (writing) await writing;
    if (out.length > 0) await output.writeText(out.bytes.subarray(0, out.length));
  } catch (e) {
    if (isSodaClientError(e)) counters.errors++;
    throw e;
  }
}

/** Options of {@link runPartitions}. */
export interface RunOptions {
  /** A directory of partition files (see documents.ts). */
  input: string;
  /** The output directory (created). */
  output: string;
  openTagger: OpenTagger;
  /** Calls in flight per partition. @default 8 */
  concurrency?: number;
  /** Partitions at once. @default 2 */
  partitions?: number;
  /** @default "jsonl" */
  format?: OutputFormat;
  /** @default "fail" */
  onError?: OnError;
  counters?: RunCounters;
  /** Where to draw the progress line (drawn only on a TTY). */
  progress?: NodeJS.WriteStream;
}

/** What a run did. */
export interface RunReport {
  partitions: number;
  /** Partitions already finished by an earlier run. */
  skipped: number;
  counters: RunCounters;
  seconds: number;
}

/** Runs every unfinished partition of `options.input`; see the module comment. */
export async function runPartitions(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const format = options.format ?? "jsonl";
  const counters = options.counters ?? new RunCounters();
  const all = await listPartitions(options.input);
  const target = (p: Partition) => join(options.output, `${p.name}${outputExtension(format)}`);
  const temp = join(options.output, "_temporary");
  await mkdir(options.output, { recursive: true });
  await rm(temp, { recursive: true, force: true });
  await rm(join(options.output, "_SUCCESS"), { force: true });
  const todo = all.filter((p) => !existsSync(target(p)));
  const progress = options.progress
    ? new Progress(
        "soda annotate",
        "documents",
        todo.reduce((n, p) => n + p.bytes, 0),
        options.progress,
      )
    : undefined;
  // Drawn only on a terminal: elsewhere (a log, Spark) no per-document call at all.
  const draw = options.progress?.isTTY
    ? () => progress?.update({ done: counters.documents, progress: counters.bytes, ...counters })
    : undefined;
  let failure: { error: unknown } | undefined;
  const limit = pLimit(options.partitions ?? 2);
  const runOne = async (p: Partition) => {
    if (failure) return;
    const output = await partitionFile(target(p), temp, format);
    const tagger = options.openTagger();
    let read = 0;
    const onBytes = (bytes: number) => {
      counters.bytes += bytes - read;
      read = bytes;
    };
    try {
      await annotateBatches(readPartitionBatches(p, onBytes), tagger, output, {
        concurrency: options.concurrency ?? 8,
        onError: options.onError ?? "fail",
        counters,
        onDocument: draw,
      });
      await output.commit();
    } catch (e) {
      failure ??= { error: e };
      await output.discard();
    } finally {
      await tagger.close();
    }
  };
  try {
    await Promise.all(todo.map((p) => limit(() => runOne(p))));
  } finally {
    progress?.done();
  }
  if (failure) throw failure.error;
  await rm(temp, { recursive: true, force: true });
  await writeFile(join(options.output, "_SUCCESS"), "");
  return {
    partitions: all.length,
    skipped: all.length - todo.length,
    counters,
    seconds: (performance.now() - started) / 1000,
  };
}
