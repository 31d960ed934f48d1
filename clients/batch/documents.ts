import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { SodaInputError } from "./errors.js";

/**
 * Input documents: JSONL lines `{"id": …, "text": "…"}` (other fields are ignored), or `.txt` files that
 * are one document each. A directory holds partitions as Spark writes them.
 */

/** A document to annotate, or the input error that stands in its place. */
export type InputItem = { id: unknown; text: string } | { id: unknown; error: SodaInputError };

/** One unit of work of the runner: its documents are annotated in order into one output file. */
export interface Partition {
  /** The output file's name without extension: the input's name without `.jsonl`/`.json`/`.gz`. */
  readonly name: string;
  /** JSONL files are read line by line; `txt` partitions are a sorted run of `.txt` files. */
  readonly kind: "jsonl" | "txt";
  readonly files: readonly string[];
  /** Bytes on disk (compressed for `.gz`): what progress and ETA count. */
  readonly bytes: number;
}

/** `.txt` files per partition: bounds the work a rerun redoes for a directory of many small files. */
export const TXT_FILES_PER_PARTITION = 1000;

const JSONL = /\.(jsonl|ndjson|json)(\.gz)?$/;

/** Whether a directory entry is a JSONL partition: Spark's `part-*` files, or any `*.jsonl[.gz]`. */
function isJsonlPartition(name: string): boolean {
  if (name.startsWith("_") || name.startsWith(".") || name.endsWith(".crc")) return false;
  return JSONL.test(name) || /^part-[^.]*(\.gz)?$/.test(name);
}

/**
 * The partitions of an input directory, in name order: one per JSONL file, and the `.txt` files in runs
 * of {@link TXT_FILES_PER_PARTITION} (`txt-00000` …). Names starting with `_` or `.` (Spark's `_SUCCESS`,
 * checksums) are skipped. Throws when there is nothing to read.
 */
export async function listPartitions(dir: string): Promise<Partition[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();
  const size = async (files: string[]) => {
    let total = 0;
    for (const f of files) total += (await stat(f)).size;
    return total;
  };
  const partitions: Partition[] = [];
  for (const n of names.filter(isJsonlPartition)) {
    const file = join(dir, n);
    partitions.push({
      name: n.replace(/\.gz$/, "").replace(JSONL, ""),
      kind: "jsonl",
      files: [file],
      bytes: await size([file]),
    });
  }
  const txt = names.filter((n) => n.endsWith(".txt") && !n.startsWith(".") && !n.startsWith("_"));
  for (let i = 0; i < txt.length; i += TXT_FILES_PER_PARTITION) {
    const files = txt.slice(i, i + TXT_FILES_PER_PARTITION).map((n) => join(dir, n));
    const name = `txt-${String(i / TXT_FILES_PER_PARTITION).padStart(5, "0")}`;
    partitions.push({ name, kind: "txt", files, bytes: await size(files) });
  }
  if (partitions.length === 0)
    throw new SodaInputError("no input: expected part-*.jsonl, *.jsonl.gz or *.txt files", dir);
  const seen = new Set<string>();
  for (const p of partitions) {
    if (seen.has(p.name))
      throw new SodaInputError(`two input files give the same output name ${p.name}: rename one`, dir);
    seen.add(p.name);
  }
  return partitions;
}

/** Parses one JSONL line into an item; `where` (`file:line`) names it in errors. */
export function parseLine(line: string, where: string): InputItem {
  return parseAt(line, where, 0);
}

/** {@link parseLine} with its place as `source` and a line number, made into a string only for an error. */
function parseAt(line: string, source: string, n: number): InputItem {
  const where = () => (n > 0 ? `${source}:${n}` : source);
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (e) {
    return {
      id: null,
      error: new SodaInputError(
        `not JSON (${(e as Error).message}); expected {"id": …, "text": "…"}`,
        where(),
      ),
    };
  }
  const d = doc as { id?: unknown; text?: unknown };
  if (typeof d !== "object" || d === null || typeof d.text !== "string")
    return {
      id: typeof d === "object" && d !== null ? (d.id ?? null) : null,
      error: new SodaInputError('expected an object with a string "text" (and an "id")', where()),
    };
  return { id: d.id ?? null, text: d.text };
}

/** Whether a line is blank (spaces, tabs, a carriage return): such lines are skipped. */
const isBlank = (line: string) =>
  line.length === 0 || (line.charCodeAt(0) !== 123 && line.trim().length === 0);

/**
 * The items of a JSONL stream, in batches (the lines of each chunk read), blank lines skipped. `source`
 * names it in errors. Lines end at `\n` (a `\r` before it is JSON whitespace); a line may span chunks.
 */
export async function* readJsonlBatches(stream: Readable, source: string): AsyncGenerator<InputItem[]> {
  const decoder = new StringDecoder("utf8");
  // A line not yet ended, in pieces (joined once it ends: a long line over many chunks stays linear).
  let partial: string[] = [];
  let line = 0;
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    let nl = text.indexOf("\n");
    if (nl === -1) {
      if (text.length > 0) partial.push(text);
      continue;
    }
    const items: InputItem[] = [];
    let start = 0;
    if (partial.length > 0) {
      partial.push(text.slice(0, nl));
      const first = partial.join("");
      partial = [];
      line++;
      if (!isBlank(first)) items.push(parseAt(first, source, line));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    for (; nl !== -1; nl = text.indexOf("\n", start)) {
      line++;
      const l = text.slice(start, nl);
      start = nl + 1;
      if (!isBlank(l)) items.push(parseAt(l, source, line));
    }
    if (start < text.length) partial.push(text.slice(start));
    if (items.length > 0) yield items;
  }
  partial.push(decoder.end());
  const last = partial.join("");
  if (!isBlank(last)) yield [parseAt(last, source, line + 1)];
}

/** The items of a JSONL stream, blank lines skipped. `source` names it in errors. */
export async function* readJsonl(stream: Readable, source: string): AsyncGenerator<InputItem> {
  for await (const batch of readJsonlBatches(stream, source)) yield* batch;
}

/**
 * The items of a partition, in order. `onBytes` is told how many bytes of the files were read so far
 * (before decompression), for progress.
 */
export async function* readPartition(
  partition: Partition,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<InputItem> {
  for await (const batch of readPartitionBatches(partition, onBytes)) yield* batch;
}

/** {@link readPartition} in batches (the documents of each chunk read): what the runner reads. */
export async function* readPartitionBatches(
  partition: Partition,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<InputItem[]> {
  let done = 0;
  for (const file of partition.files) {
    if (partition.kind === "txt") {
      const text = await readFile(file, "utf8");
      done += Buffer.byteLength(text);
      onBytes?.(done);
      yield [{ id: basename(file), text }];
      continue;
    }
    const raw = createReadStream(file);
    const base = done;
    raw.on("data", () => onBytes?.(base + raw.bytesRead));
    const stream = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
    if (stream !== raw) raw.on("error", (e) => stream.destroy(e));
    yield* readJsonlBatches(stream, file);
    done = base + raw.bytesRead;
  }
}
