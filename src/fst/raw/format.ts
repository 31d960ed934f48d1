/**
 * The serialized layout of an FST, shared by the builder and the reader.
 *
 * ```
 * offset  size  field
 *      0     8  magic "SODAFST\0"
 *      8     4  format version (u32 LE)
 *     12     4  flags (u32 LE, reserved, 0)
 *     16     8  number of keys (u64 LE)
 *     24     8  address of the root node (u64 LE)
 *     32     8  total length of the array in bytes, header included (u64 LE)
 *     40     4  CRC-32 of bytes [0, 40) followed by bytes [44, length)
 *     44     4  reserved, 0
 *     48     …  nodes
 * ```
 *
 * Nodes are written children first, so every transition points to a lower address. A node's address is
 * the offset of its *header byte*, which is its last byte; its other fields are read at decreasing
 * offsets (`addr - 1`, `addr - 2`, …), in "read order". A transition stores the distance `d = start - child`
 * from the node's first byte (`start`) to its target, so `d = 1` means "the node written just before",
 * the common case in long suffix chains, which the one-transition form encodes in one or two bytes.
 *
 * One-transition node (header bit 7 set): non-final, the transition output is 0.
 *   bit 6: target is the previous node (d = 1, no distance stored)
 *   bits 0-5: index into {@link COMMON_INPUTS} (1..63), or 0 when the label byte follows
 *   read order: header, [label], [d as LEB128 unless bit 6]
 *
 * General node (header bit 7 clear):
 *   bit 6: final; bit 5: a final output follows
 *   bits 0-4: number of transitions 0..30, or 31 when a byte with (count - 1) follows
 *   read order: header, [count - 1], [final output LEB128], [widths: output bytes << 4 | distance bytes],
 *   labels (ascending), distances (fixed width, little-endian), outputs (fixed width, little-endian)
 */
export const MAGIC = Uint8Array.of(0x53, 0x4f, 0x44, 0x41, 0x46, 0x53, 0x54, 0x00);
/** Bump on every incompatible change of the layout above. */
export const VERSION = 1;
export const HEADER_SIZE = 48;
export const CHECKSUM_OFFSET = 40;
/**
 * Largest array an FST may occupy: 2 GiB, so that every address fits a small integer (the walk keeps
 * addresses in int32 registers and tables, which V8 handles much faster than doubles).
 */
export const MAX_LENGTH = 0x7fff_fff0;

export const ONE_TRANS = 0x80;
export const ONE_NEXT_PREV = 0x40;
export const GEN_FINAL = 0x40;
export const GEN_FINAL_OUTPUT = 0x20;
export const GEN_COUNT_MASK = 0x1f;
export const GEN_COUNT_EXPLICIT = 31;

/** The 63 bytes a one-transition node can encode inside its header: space, letters, digits. */
export const COMMON_INPUTS: Uint8Array = (() => {
  const t = new Uint8Array(64);
  const chars = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (let i = 0; i < chars.length; i++) t[i + 1] = chars.charCodeAt(i);
  return t;
})();

/** Inverse of {@link COMMON_INPUTS}: byte to index, 0 when the byte is not common. */
export const COMMON_INDEX: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 64; i++) t[COMMON_INPUTS[i]] = i;
  return t;
})();

/** Number of bytes needed to store `v` (a safe non-negative integer) as a fixed-width integer; 0 for 0. */
export function byteWidth(v: number): number {
  let n = 0;
  while (v > 0) {
    n++;
    v = Math.floor(v / 256);
  }
  return n;
}

/** Reads a little-endian unsigned integer of `width` bytes stored at decreasing offsets from `pos`. */
export function readFixed(data: Uint8Array, pos: number, width: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < width; i++) {
    v += data[pos - i] * mul;
    mul *= 256;
  }
  return v;
}

/** Reads a u64 little-endian header field at `off` (forward order); exact below 2^53. */
export function readU64(data: Uint8Array, off: number): number {
  const lo = data[off] | (data[off + 1] << 8) | (data[off + 2] << 16) | (data[off + 3] << 24);
  const hi = data[off + 4] | (data[off + 5] << 8) | (data[off + 6] << 16) | (data[off + 7] << 24);
  return (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
}

/** Reads a u32 little-endian header field at `off` (forward order). */
export function readU32(data: Uint8Array, off: number): number {
  return (data[off] | (data[off + 1] << 8) | (data[off + 2] << 16) | (data[off + 3] << 24)) >>> 0;
}

/** Writes a u64 little-endian header field at `off` (forward order). */
export function writeU64(data: Uint8Array, off: number, v: number): void {
  writeU32(data, off, v % 0x1_0000_0000);
  writeU32(data, off + 4, Math.floor(v / 0x1_0000_0000));
}

/** Writes a u32 little-endian header field at `off` (forward order). */
export function writeU32(data: Uint8Array, off: number, v: number): void {
  data[off] = v & 0xff;
  data[off + 1] = (v >>> 8) & 0xff;
  data[off + 2] = (v >>> 16) & 0xff;
  data[off + 3] = (v >>> 24) & 0xff;
}
