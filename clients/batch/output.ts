import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import type { SodaClientError } from "./errors.js";
import type { Annotation } from "./types.js";

/**
 * Output of the runner. `jsonl`: one `{id, annotations}` line per document, in input order; an error
 * kept with `--on-error emit` is an `{id, error: {code, message}}` line in its place. `standoff`: one
 * tab-separated line per annotation, `docId entityId lexicon begin end coveredText confidence`, with
 * `\\`, tab, newline and carriage return written as `\\\\`, `\\t`, `\\n`, `\\r`; its error lines go to a
 * sibling `NAME.errors.jsonl` (standard error when writing to standard output).
 */
export type OutputFormat = "jsonl" | "standoff";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["jsonl", "standoff"];

/** A place lines are written to: a file made visible whole on commit, or a stream. */
export interface LineSink {
  /**
   * Appends text, or bytes already UTF-8. Bytes are written (or copied) by the time the promise
   * resolves: the caller may then reuse their buffer.
   */
  write(text: string | Uint8Array): Promise<void>;
  /** Makes everything written visible (a file: fsync, then rename into place). */
  commit(): Promise<void>;
  /** Drops what was written (a file: removes the temporary file). Safe to call after a failure. */
  discard(): Promise<void>;
}

/** The extension of a partition output file. */
export const outputExtension = (format: OutputFormat): string => (format === "jsonl" ? ".jsonl" : ".tsv");

async function writeTo(stream: Writable, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text))
    await new Promise<void>((resolve, reject) => {
      const done = (e?: Error) => {
        stream.off("drain", done).off("error", done);
        if (e) reject(e);
        else resolve();
      };
      stream.once("drain", done).once("error", done);
    });
}

/**
 * Characters an {@link atomicFile} gathers before it writes them: big enough for few system calls,
 * small enough that the text written does not live through many young-generation collections (text
 * kept longer is copied, then promoted, which costs more than the writes saved).
 */
const FLUSH_AT = 64 * 1024;

/**
 * A file written whole or not at all: lines go to `temp`, and commit fsyncs it and renames it to
 * `target` (same file system), so a reader, or a rerun deciding what is finished, sees either no file
 * or the complete one.
 */
export async function atomicFile(target: string, temp: string): Promise<LineSink> {
  await mkdir(dirname(temp), { recursive: true });
  const handle = await open(temp, "w");
  let buffered: string[] = [];
  let size = 0;
  let closed = false;
  const flush = async () => {
    if (buffered.length === 0) return;
    const text = buffered.join("");
    buffered = [];
    size = 0;
    await handle.write(text);
  };
  return {
    async write(text) {
      if (typeof text !== "string") {
        // Bytes (an in-process run's buffer of JSON lines) go out at once, after the text before them.
        await flush();
        for (let at = 0; at < text.length; )
          at += (await handle.write(text, at, text.length - at)).bytesWritten;
        return;
      }
      buffered.push(text);
      size += text.length;
      if (size >= FLUSH_AT) await flush();
    },
    async commit() {
      await flush();
      await handle.sync();
      closed = true;
      await handle.close();
      await rename(temp, target);
    },
    async discard() {
      if (!closed) {
        closed = true;
        await handle.close().catch(() => {});
      }
      await rm(temp, { force: true });
    },
  };
}

/** A stream as a sink (standard output); commit and discard only flush. */
export function streamSink(stream: Writable): LineSink {
  return {
    // Bytes are copied: the stream keeps what it was given until it is written, and the caller reuses them.
    write: (text) => writeTo(stream, typeof text === "string" ? text : Buffer.from(text)),
    commit: async () => {},
    discard: async () => {},
  };
}

const escapeTsv = (s: string) =>
  s.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);

/** The output lines of one annotated document. */
export function formatResult(id: unknown, annotations: readonly Annotation[], format: OutputFormat): string {
  if (format === "jsonl") return `${JSON.stringify({ id, annotations })}\n`;
  const doc = escapeTsv(typeof id === "string" ? id : JSON.stringify(id));
  let out = "";
  for (const a of annotations)
    out += `${doc}\t${escapeTsv(a.id)}\t${escapeTsv(a.lexicon)}\t${a.begin}\t${a.end}\t${escapeTsv(a.coveredText)}\t${a.confidence}\n`;
  return out;
}

/**
 * The JSONL line of one annotated document from its annotations as JSON array text (spliced, not
 * parsed): the same line as {@link formatResult} gives for the parsed array.
 */
export function formatJsonResult(id: unknown, annotationsJson: string): string {
  if (id === undefined) return `{"annotations":${annotationsJson}}\n`;
  return `{"id":${JSON.stringify(id)},"annotations":${annotationsJson}}\n`;
}

/** The `{id, error}` line of a document that failed (kept with `--on-error emit`). */
export function formatError(id: unknown, error: SodaClientError): string {
  return `${JSON.stringify({ id, error: { code: error.code, message: error.message } })}\n`;
}

/** Where the results and errors of one partition go, in the chosen format. */
export class PartitionOutput {
  private errors: LineSink | undefined;

  /**
   * @param main the results (and, for jsonl, the errors)
   * @param openErrors opens the sink for standoff's error lines, on the first error
   */
  constructor(
    private readonly main: LineSink,
    readonly format: OutputFormat,
    private readonly openErrors: () => Promise<LineSink>,
  ) {}

  writeResult(id: unknown, annotations: readonly Annotation[]): Promise<void> {
    return this.main.write(formatResult(id, annotations, this.format));
  }

  /** Writes lines already formatted for the main output (a run of results, jsonl error lines). */
  writeText(text: string | Uint8Array): Promise<void> {
    return this.main.write(text);
  }

  async writeError(id: unknown, error: SodaClientError): Promise<void> {
    if (this.format === "jsonl") return this.main.write(formatError(id, error));
    this.errors ??= await this.openErrors();
    return this.errors.write(formatError(id, error));
  }

  /** Commits the error file first: the main file's existence is what marks the partition finished. */
  async commit(): Promise<void> {
    await this.errors?.commit();
    await this.main.commit();
  }

  async discard(): Promise<void> {
    await this.errors?.discard();
    await this.main.discard();
  }
}

/** A partition's output as an atomic file `target` (temp file in `tempDir`), errors beside it. */
export async function partitionFile(
  target: string,
  tempDir: string,
  format: OutputFormat,
): Promise<PartitionOutput> {
  const temp = (name: string) => join(tempDir, `${name}.${process.pid}.tmp`);
  const errorsTarget = target.replace(/\.[^./]+$/, ".errors.jsonl");
  // Left by a run killed between committing the errors and the results: it belongs to no finished output.
  await rm(errorsTarget, { force: true });
  return new PartitionOutput(await atomicFile(target, temp(basename(target))), format, () =>
    atomicFile(errorsTarget, temp(basename(errorsTarget))),
  );
}
