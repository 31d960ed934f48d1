import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
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

/** Bytes a {@link Writer} copies in at `finish` (a run that is not one array, see {@link ByteSink}). */
interface Part {
  readonly length: number;
  /** Copies the part's bytes to `out` at `at`. */
  copyTo(out: Uint8Array, at: number): void;
}

/**
 * Appends u32 words and byte runs, 4-byte aligned, then seals the header and checksum. The file is
 * assembled once, in shared memory (what the store serves from: no further copy).
 */
class Writer {
  private parts: (Uint8Array | Part)[] = [];
  private length = HEADER;

  u32(...values: number[]): void {
    this.array(Uint32Array.from(values));
  }

  array(a: Uint32Array): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  /** A run of bytes, padded to 4 bytes (the padding is zero: the output starts zeroed). */
  bytes(b: Uint8Array | Part): void {
    this.parts.push(b);
    this.length += b.length;
    this.length += (4 - (this.length % 4)) % 4;
  }

  finish(kind: number): Uint8Array {
    const out = new Uint8Array(new SharedArrayBuffer(this.length));
    out.set(SEGMENT_MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, SEGMENT_VERSION, true);
    view.setUint32(12, kind, true);
    view.setUint32(16, this.length, true);
    let p = HEADER;
    for (const c of this.parts) {
      if (c instanceof Uint8Array) out.set(c, p);
      else c.copyTo(out, p);
      p += c.length;
      p += (4 - (p % 4)) % 4;
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
 * Builds an entities file one entity at a time: strings are written straight into byte streams beside
 * their offsets (no object or array kept per entity). In memory by default; given `spill` (a path
 * prefix), the five streams go to files `<spill>.0` … `<spill>.4` through small reusable buffers, so a
 * bulk load of millions of names allocates nothing that grows with it until `finish` (growing buffers
 * of hundreds of MB make V8 run full collections of the whole heap as external memory grows). The
 * spill files are removed by `finish` and `discard`. Cost: one pass over the strings (ASCII copied by
 * hand, other text through `Buffer.write`), plus writing and reading back the spilled bytes once.
 */
export class EntitiesBuilder {
  private readonly idOffsets: U32Sink;
  private readonly nameStart: U32Sink;
  private readonly nameOffsets: U32Sink;
  private readonly idBytes: ByteSink;
  private readonly nameBytes: ByteSink;
  /** Entities added so far (the next one is doc `docs`). */
  docs = 0;
  private names = 0;

  constructor(spill?: string) {
    const f = (i: number) => (spill === undefined ? undefined : `${spill}.${i}`);
    this.idOffsets = new U32Sink(f(0));
    this.nameStart = new U32Sink(f(1));
    this.nameOffsets = new U32Sink(f(2));
    this.idBytes = new ByteSink(f(3));
    this.nameBytes = new ByteSink(f(4));
    this.idOffsets.push(0);
    this.nameStart.push(0);
    this.nameOffsets.push(0);
  }

  /** Appends an entity as the next doc. */
  add(id: string, names: readonly string[]): void {
    this.idOffsets.push(this.idBytes.str(id));
    for (const name of names) this.nameOffsets.push(this.nameBytes.str(name));
    this.names += names.length;
    this.nameStart.push(this.names);
    this.docs++;
  }

  /** The file's bytes, in shared memory (the spill files are removed). */
  finish(): Uint8Array {
    try {
      const w = new Writer();
      w.u32(this.docs, this.names);
      w.bytes(this.idOffsets);
      w.bytes(this.nameStart);
      w.bytes(this.nameOffsets);
      w.bytes(this.idBytes);
      w.bytes(this.nameBytes);
      return w.finish(KIND_ENTITIES);
    } finally {
      this.discard();
    }
  }

  /** Closes and removes the spill files, if any (safe to call more than once). */
  discard(): void {
    for (const s of [this.idOffsets, this.nameStart, this.nameOffsets, this.idBytes, this.nameBytes])
      s.discard();
  }
}

/** Reads the first `length` bytes of a spill file back into `target` at `at`. */
function readSpill(
  fd: number,
  file: string | undefined,
  target: Uint8Array,
  at: number,
  length: number,
): void {
  let off = 0;
  while (off < length) {
    const n = readSync(fd, target, at + off, length - off, off);
    if (n === 0) throw new Error(`spill file ${file} is shorter than what was written to it`);
    off += n;
  }
}

/** Closes a spill file and removes it. */
function removeSpill(fd: number, file: string | undefined): void {
  closeSync(fd);
  if (file !== undefined) rmSync(file, { force: true });
}

/** Bytes a spilling sink buffers before a write (reused: nothing is allocated as it grows). */
const SPILL_BUFFER = 1 << 20;

/**
 * An append-only byte stream: a growing buffer in memory, or (given a file) a fixed buffer written out
 * whenever it fills. Readable once at the end, as a {@link Part}.
 */
class ByteSink implements Part {
  private buf: Buffer;
  /** Bytes in `buf` (not yet written out). */
  private at = 0;
  /** Bytes written out to the file. */
  private out = 0;
  private fd: number | undefined;

  constructor(private readonly file?: string) {
    this.buf = Buffer.allocUnsafe(file === undefined ? 1 << 12 : SPILL_BUFFER);
    if (file !== undefined) this.fd = openSync(file, "w+");
  }

  get length(): number {
    return this.out + this.at;
  }

  /** Appends `s` as UTF-8; returns the stream's length after it. */
  str(s: string): number {
    const n = s.length;
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    if (this.at + n * 3 > this.buf.length) this.make(n * 3);
    const buf = this.buf;
    const at = this.at;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    this.at = i === n ? at + n : at + buf.write(s, at, "utf8");
    return this.out + this.at;
  }

  /** Makes room for `need` more bytes: writes the buffer out (a file) or grows it (memory). */
  private make(need: number): void {
    if (this.fd === undefined) {
      const b = Buffer.allocUnsafe(Math.max(this.at + need, this.buf.length * 2));
      this.buf.copy(b, 0, 0, this.at);
      this.buf = b;
      return;
    }
    this.drain();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
  }

  private drain(): void {
    if (this.fd === undefined) return;
    let off = 0;
    while (off < this.at) off += writeSync(this.fd, this.buf, off, this.at - off, this.out + off);
    this.out += this.at;
    this.at = 0;
  }

  copyTo(target: Uint8Array, at: number): void {
    if (this.fd !== undefined) readSpill(this.fd, this.file, target, at, this.out);
    target.set(this.buf.subarray(0, this.at), at + this.out);
  }

  discard(): void {
    if (this.fd === undefined) return;
    removeSpill(this.fd, this.file);
    this.fd = undefined;
  }
}

/** A stream of u32 words (little-endian, as the file stores them) over a {@link ByteSink}'s scheme. */
class U32Sink implements Part {
  private words: Uint32Array;
  /** Words in `words` (not yet written out). */
  private at = 0;
  /** Bytes written out to the file. */
  private out = 0;
  private fd: number | undefined;

  constructor(private readonly file?: string) {
    this.words = new Uint32Array(file === undefined ? 1 << 10 : SPILL_BUFFER / 4);
    if (file !== undefined) this.fd = openSync(file, "w+");
  }

  get length(): number {
    return this.out + this.at * 4;
  }

  push(v: number): void {
    if (this.at === this.words.length) {
      if (this.fd === undefined) {
        const w = new Uint32Array(this.words.length * 2);
        w.set(this.words);
        this.words = w;
      } else {
        const bytes = new Uint8Array(this.words.buffer, 0, this.at * 4);
        let off = 0;
        while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.out + off);
        this.out += bytes.length;
        this.at = 0;
      }
    }
    this.words[this.at++] = v;
  }

  copyTo(target: Uint8Array, at: number): void {
    if (this.fd !== undefined) readSpill(this.fd, this.file, target, at, this.out);
    target.set(new Uint8Array(this.words.buffer, 0, this.at * 4), at + this.out);
  }

  discard(): void {
    if (this.fd === undefined) return;
    removeSpill(this.fd, this.file);
    this.fd = undefined;
  }
}

/** The entities of a segment over the file's bytes: ids and names are decoded on demand. */
export class EntityTable {
  readonly docs: number;
  private readonly idOffsets: Uint32Array;
  private readonly nameStart: Uint32Array;
  private readonly nameOffsets: Uint32Array;
  private readonly idBytes: Uint8Array;
  private readonly nameData: Uint8Array;

  /** `checked`: the checksum was verified already ({@link checksumMatches}); the rest is checked. */
  constructor(file: Uint8Array, name = "entities", checked = false) {
    const r = new Reader(validate(file, name, KIND_ENTITIES, checked));
    this.docs = r.u32();
    const names = r.u32();
    this.idOffsets = r.array(this.docs + 1);
    this.nameStart = r.array(this.docs + 1);
    this.nameOffsets = r.array(names + 1);
    this.idBytes = r.bytes(this.idOffsets[this.docs]);
    this.nameData = r.bytes(this.nameOffsets[names]);
  }

  /** Names over all docs. */
  get nameCount(): number {
    return this.nameStart[this.docs];
  }

  /** UTF-8 bytes of all names. */
  get nameBytes(): number {
    return this.nameData.length;
  }

  id(doc: number): string {
    return dec.decode(this.idBytes.subarray(this.idOffsets[doc], this.idOffsets[doc + 1]));
  }

  names(doc: number): string[] {
    const out: string[] = [];
    for (let n = this.nameStart[doc]; n < this.nameStart[doc + 1]; n++)
      out.push(dec.decode(this.nameData.subarray(this.nameOffsets[n], this.nameOffsets[n + 1])));
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

/**
 * `bytes` in shared memory (see {@link readSegment}): as they are when they fill a `SharedArrayBuffer`
 * already (what the encoders return), else a copy.
 */
export function toShared(bytes: Uint8Array): Uint8Array {
  if (
    bytes.buffer instanceof SharedArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  )
    return bytes;
  const out = new Uint8Array(new SharedArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}
