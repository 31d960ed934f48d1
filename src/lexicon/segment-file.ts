import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import type { CompiledLexicon, Entry } from "../annotate/lexicon.js";
import { RawFst } from "../fst/index.js";
import type { StreamingMode } from "../text/modes.js";

/**
 * Segment files: immutable, versioned, checksummed. A segment is one entities file (`<seq>.ent`: the
 * ids and names of its docs) plus one file per matching mode in use (`<seq>.<mode>.fst`: the FST and
 * postings). Layout of both:
 *
 * ```
 *  0  magic "SODASEG\0"      8  format version (u32)   12  kind (u32: 1 entities, 2 mode)
 * 16  total length (u32)     20  CRC-32 of every byte but these 4 (u32)   24  reserved (8 bytes)
 * 32  payload: u32 fields and arrays, 4-byte aligned
 * ```
 * Entities payload: docs, names, idOffsets[docs + 1], nameStart[docs + 1], nameOffsets[names + 1],
 * id bytes, name bytes (UTF-8). Mode payload: mode length and bytes (padded), keys, postings,
 * postStart[keys + 1], postEntity[postings], postName[postings], FST length, FST bytes.
 */
export const SEGMENT_MAGIC = Uint8Array.of(0x53, 0x4f, 0x44, 0x41, 0x53, 0x45, 0x47, 0x00);
export const SEGMENT_VERSION = 1;
const HEADER = 32;
const KIND_ENTITIES = 1;
const KIND_MODE = 2;

/** A segment file failed its checks: it is never served, and the store rebuilds it. */
export class SegmentCorruptError extends Error {
  readonly code = "SODA_ERR_SEGMENT_CORRUPT";
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`segment file ${file} is unusable (${reason}); it will be rebuilt from the store`);
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Appends u32 words and byte runs, 4-byte aligned, then seals the header and checksum. */
class Writer {
  private chunks: Uint8Array[] = [];
  private length = HEADER;

  u32(...values: number[]): void {
    this.array(Uint32Array.from(values));
  }

  array(a: Uint32Array): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
    const pad = (4 - (this.length % 4)) % 4;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.length += pad;
    }
  }

  finish(kind: number): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(SEGMENT_MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, SEGMENT_VERSION, true);
    view.setUint32(12, kind, true);
    view.setUint32(16, this.length, true);
    let p = HEADER;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    view.setUint32(20, checksum(out), true);
    return out;
  }
}

function checksum(file: Uint8Array): number {
  return crc32(file.subarray(24), crc32(file.subarray(0, 20)));
}

/** Whether a segment file's bytes match the checksum in its header (false when too short). */
export function checksumMatches(file: Uint8Array): boolean {
  if (file.length < HEADER) return false;
  return new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(20, true) === checksum(file);
}

/** Reads u32 words and arrays in the order a {@link Writer} wrote them, as views (no copy). */
class Reader {
  private p = HEADER;
  constructor(private readonly file: Uint8Array) {}

  u32(): number {
    const v = new DataView(this.file.buffer, this.file.byteOffset + this.p, 4).getUint32(0, true);
    this.p += 4;
    return v;
  }

  array(n: number): Uint32Array {
    const a = new Uint32Array(this.file.buffer, this.file.byteOffset + this.p, n);
    this.p += n * 4;
    return a;
  }

  bytes(n: number): Uint8Array {
    const b = this.file.subarray(this.p, this.p + n);
    this.p += n + ((4 - (n % 4)) % 4);
    return b;
  }
}

/**
 * Checks magic, version, kind, length and (unless `checked`: the caller has just verified it with
 * {@link checksumMatches}) the checksum; returns the bytes 4-byte aligned.
 */
function validate(file: Uint8Array, name: string, kind: number, checked = false): Uint8Array {
  if (file.length < HEADER)
    throw new SegmentCorruptError(name, `${file.length} bytes, shorter than the header`);
  for (let i = 0; i < SEGMENT_MAGIC.length; i++)
    if (file[i] !== SEGMENT_MAGIC[i]) throw new SegmentCorruptError(name, "not a soda segment (bad magic)");
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SEGMENT_VERSION)
    throw new SegmentCorruptError(name, `format version ${version}, this build reads ${SEGMENT_VERSION}`);
  if (view.getUint32(12, true) !== kind) throw new SegmentCorruptError(name, "wrong kind of segment file");
  const length = view.getUint32(16, true);
  if (length !== file.length)
    throw new SegmentCorruptError(name, `${file.length} bytes, header says ${length}`);
  if (!checked && !checksumMatches(file)) throw new SegmentCorruptError(name, "checksum mismatch");
  return file.byteOffset % 4 === 0 ? file : file.slice();
}

/** Serializes the entities of a segment. */
export function encodeEntities(entries: readonly Entry[]): Uint8Array {
  const b = new EntitiesBuilder();
  for (const e of entries) b.add(e.id, e.names);
  return b.finish();
}

/**
 * Builds an entities file one entity at a time: strings are written straight into growing byte buffers
 * beside their offsets (no object or array kept per entity: a bulk load of millions of names holds
 * about the file's size in memory, and the garbage collector has nothing to churn).
 */
export class EntitiesBuilder {
  private idOffsets: Uint32Array = new Uint32Array(1024);
  private nameStart: Uint32Array = new Uint32Array(1024);
  private nameOffsets: Uint32Array = new Uint32Array(1024);
  private idBytes: Buffer = Buffer.allocUnsafe(1 << 16);
  private nameBytes: Buffer = Buffer.allocUnsafe(1 << 16);
  /** Entities added so far (the next one is doc `docs`). */
  docs = 0;
  private names = 0;

  /** Appends an entity as the next doc. */
  add(id: string, names: readonly string[]): void {
    if (this.docs + 2 > this.idOffsets.length) {
      this.idOffsets = growUint32(this.idOffsets);
      this.nameStart = growUint32(this.nameStart);
    }
    const idAt = this.idOffsets[this.docs];
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    if (idAt + id.length * 3 > this.idBytes.length)
      this.idBytes = growBuffer(this.idBytes, idAt + id.length * 3);
    this.idOffsets[this.docs + 1] = idAt + this.idBytes.write(id, idAt, "utf8");
    for (const name of names) {
      if (this.names + 2 > this.nameOffsets.length) this.nameOffsets = growUint32(this.nameOffsets);
      const at = this.nameOffsets[this.names];
      if (at + name.length * 3 > this.nameBytes.length)
        this.nameBytes = growBuffer(this.nameBytes, at + name.length * 3);
      this.nameOffsets[++this.names] = at + this.nameBytes.write(name, at, "utf8");
    }
    this.nameStart[this.docs + 1] = this.names;
    this.docs++;
  }

  /** The file's bytes. */
  finish(): Uint8Array {
    const w = new Writer();
    w.u32(this.docs, this.names);
    w.array(this.idOffsets.subarray(0, this.docs + 1));
    w.array(this.nameStart.subarray(0, this.docs + 1));
    w.array(this.nameOffsets.subarray(0, this.names + 1));
    w.bytes(this.idBytes.subarray(0, this.idOffsets[this.docs]));
    w.bytes(this.nameBytes.subarray(0, this.nameOffsets[this.names]));
    return w.finish(KIND_ENTITIES);
  }
}

function growUint32(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

function growBuffer(a: Buffer, need: number): Buffer {
  const b = Buffer.allocUnsafe(Math.max(need, a.length * 2));
  a.copy(b);
  return b;
}

/** The entities of a segment over the file's bytes: ids and names are decoded on demand. */
export class EntityTable {
  readonly docs: number;
  private readonly idOffsets: Uint32Array;
  private readonly nameStart: Uint32Array;
  private readonly nameOffsets: Uint32Array;
  private readonly idBytes: Uint8Array;
  private readonly nameBytes: Uint8Array;

  /** `checked`: the checksum was verified already ({@link checksumMatches}); the rest is checked. */
  constructor(file: Uint8Array, name = "entities", checked = false) {
    const r = new Reader(validate(file, name, KIND_ENTITIES, checked));
    this.docs = r.u32();
    const names = r.u32();
    this.idOffsets = r.array(this.docs + 1);
    this.nameStart = r.array(this.docs + 1);
    this.nameOffsets = r.array(names + 1);
    this.idBytes = r.bytes(this.idOffsets[this.docs]);
    this.nameBytes = r.bytes(this.nameOffsets[names]);
  }

  id(doc: number): string {
    return dec.decode(this.idBytes.subarray(this.idOffsets[doc], this.idOffsets[doc + 1]));
  }

  names(doc: number): string[] {
    const out: string[] = [];
    for (let n = this.nameStart[doc]; n < this.nameStart[doc + 1]; n++)
      out.push(dec.decode(this.nameBytes.subarray(this.nameOffsets[n], this.nameOffsets[n + 1])));
    return out;
  }

  entry(doc: number): Entry {
    return { id: this.id(doc), names: this.names(doc) };
  }
}

/** Serializes a compiled mode of a segment. */
export function encodeMode(c: CompiledLexicon): Uint8Array {
  const w = new Writer();
  const mode = enc.encode(c.mode);
  w.u32(mode.length);
  w.bytes(mode);
  const keys = c.postStart.length - 1;
  w.u32(keys, c.postEntity.length, c.skippedNames);
  w.array(c.postStart);
  w.array(c.postEntity);
  w.array(c.postName);
  w.u32(c.fst.data.length);
  w.bytes(c.fst.data);
  return w.finish(KIND_MODE);
}

/**
 * Reads a compiled mode from its file, without copying (the FST is covered by the file's checksum;
 * `checked`: as for {@link EntityTable}).
 */
export function decodeMode(file: Uint8Array, name = "mode", checked = false): CompiledLexicon {
  const r = new Reader(validate(file, name, KIND_MODE, checked));
  const mode = dec.decode(r.bytes(r.u32())) as StreamingMode;
  const keys = r.u32();
  const postings = r.u32();
  const skippedNames = r.u32();
  const postStart = r.array(keys + 1);
  const postEntity = r.array(postings);
  const postName = r.array(postings);
  const fst = RawFst.load(r.bytes(r.u32()), { verify: false });
  return { mode, fst, postStart, postEntity, postName, skippedNames };
}

/**
 * Writes `bytes` to `file` atomically and durably: a temporary file in the same directory, fsync, rename,
 * fsync of the directory. A crash leaves either no file or the whole file (plus perhaps a `.tmp`).
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Reads a segment file into memory shared between threads (a `SharedArrayBuffer`, so that worker
 * threads tag against the same bytes: memory does not grow with the number of threads), computing its
 * checksum chunk by chunk as it goes (each chunk is checksummed while still in the CPU cache, not in a second pass over
 * the whole file). `checked`: the checksum matched (pass it on to {@link EntityTable} or
 * {@link decodeMode}, which then check the rest of the header only).
 */
export function readSegment(file: string): { bytes: Uint8Array; checked: boolean } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const out = new Uint8Array(new SharedArrayBuffer(size));
    let off = 0;
    let crc = 0;
    while (off < size) {
      const n = readSync(fd, out, off, Math.min(READ_CHUNK, size - off), off);
      if (n === 0) break;
      // The checksum skips bytes 20-23 (where it is stored): the first chunk holds the whole header.
      crc =
        off === 0
          ? crc32(out.subarray(24, n), crc32(out.subarray(0, 20)))
          : crc32(out.subarray(off, off + n), crc);
      off += n;
    }
    const bytes = off === size ? out : out.subarray(0, off);
    const checked =
      off >= HEADER && new DataView(out.buffer, 0, HEADER).getUint32(20, true) === crc && off === size;
    return { bytes, checked };
  } finally {
    closeSync(fd);
  }
}

/** Bytes per read of {@link readSegment} (at least the header; small enough to stay in the CPU cache). */
const READ_CHUNK = 4 << 20;

/** A copy of `bytes` in shared memory (see {@link readSegment}). */
export function toShared(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}
