import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
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
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (e) {
    return {
      id: null,
      error: new SodaInputError(`not JSON (${(e as Error).message}); expected {"id": …, "text": "…"}`, where),
    };
  }
  const d = doc as { id?: unknown; text?: unknown };
  if (typeof d !== "object" || d === null || typeof d.text !== "string")
    return {
      id: typeof d === "object" && d !== null ? (d.id ?? null) : null,
      error: new SodaInputError('expected an object with a string "text" (and an "id")', where),
    };
  return { id: d.id ?? null, text: d.text };
}

/** The items of a JSONL stream, blank lines skipped. `source` names it in errors. */
export async function* readJsonl(stream: Readable, source: string): AsyncGenerator<InputItem> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim().length > 0) yield parseLine(text, `${source}:${line}`);
  }
}

/**
 * The items of a partition, in order. `onBytes` is told how many bytes of the files were read so far
 * (before decompression), for progress.
 */
export async function* readPartition(
  partition: Partition,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<InputItem> {
  let done = 0;
  for (const file of partition.files) {
    if (partition.kind === "txt") {
      const text = await readFile(file, "utf8");
      done += Buffer.byteLength(text);
      onBytes?.(done);
      yield { id: basename(file), text };
      continue;
    }
    const raw = createReadStream(file);
    const base = done;
    raw.on("data", () => onBytes?.(base + raw.bytesRead));
    const stream = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
    if (stream !== raw) raw.on("error", (e) => stream.destroy(e));
    yield* readJsonl(stream, file);
    done = base + raw.bytesRead;
  }
}
