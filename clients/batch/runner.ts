import { setMaxListeners } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { type InputItem, listPartitions, type Partition, readPartition } from "./documents.js";
import { isDocumentError, isSodaClientError, type SodaClientError } from "./errors.js";
import { orderedMap } from "./ordered-window.js";
import { type OutputFormat, outputExtension, type PartitionOutput, partitionFile } from "./output.js";
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

type Outcome = { id: unknown; annotations: Annotation[] } | { id: unknown; error: SodaClientError };

/**
 * Annotates `items` in order into `output` (not committed here). Throws the failure that ends it: any
 * error with `onError: "fail"`, the non-document ones with `"emit"`.
 */
export async function annotateItems(
  items: AsyncIterable<InputItem>,
  tagger: Tagger,
  output: PartitionOutput,
  options: AnnotateItemsOptions,
): Promise<void> {
  const { counters, onError } = options;
  const abort = new AbortController();
  // Each call in flight listens to it (undici, and the retry wait): a known, bounded number.
  setMaxListeners(2 * options.concurrency + 8, abort.signal);
  const annotate = async (item: InputItem): Promise<Outcome> => {
    if ("error" in item) return item;
    try {
      return { id: item.id, annotations: await tagger.annotate(item.text, abort.signal) };
    } catch (e) {
      if (onError === "emit" && isDocumentError(e)) return { id: item.id, error: e as SodaClientError };
      throw e;
    }
  };
  try {
    for await (const outcome of orderedMap(items, annotate, { concurrency: options.concurrency })) {
      counters.documents++;
      if ("error" in outcome) {
        if (onError === "fail") throw outcome.error;
        counters.errors++;
        await output.writeError(outcome.id, outcome.error);
      } else {
        counters.annotations += outcome.annotations.length;
        await output.writeResult(outcome.id, outcome.annotations);
      }
      options.onDocument?.();
    }
  } catch (e) {
    if (isSodaClientError(e)) counters.errors++;
    // Calls still in flight are of no use once the partition has failed.
    abort.abort();
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
  const draw = () => progress?.update({ done: counters.documents, progress: counters.bytes, ...counters });
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
      await annotateItems(readPartition(p, onBytes), tagger, output, {
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
