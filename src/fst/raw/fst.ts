import { crc32 } from "node:zlib";
import { CorruptError, FormatError, TruncatedError, VersionError } from "../errors.js";
import {
  CHECKSUM_OFFSET,
  COMMON_INPUTS,
  GEN_COUNT_EXPLICIT,
  GEN_COUNT_MASK,
  GEN_FINAL,
  GEN_FINAL_OUTPUT,
  HEADER_SIZE,
  MAGIC,
  MAX_LENGTH,
  ONE_NEXT_PREV,
  ONE_TRANS,
  readFixed,
  readU32,
  readU64,
  VERSION,
} from "./format.js";
import { NodeView } from "./node.js";

/** Anything the loader can view without copying. */
export type FstBytes = Uint8Array | ArrayBuffer | SharedArrayBuffer;

/** Options of {@link RawFst.load}. */
export interface LoadOptions {
  /**
   * Verify the CRC-32 of the whole array (about 4 GB/s). Turn it off only for bytes this process has
   * already verified, for example a `SharedArrayBuffer` handed to a worker thread.
   * @default true
   */
  verify?: boolean;
}

/** Sentinel address returned by {@link RawFst.step} when no transition matches. */
export const NONE = -1;

/**
 * The raw automaton: nodes and transitions over one contiguous byte array (see `format.ts`), loaded
 * without copying. Node addresses are plain numbers; every transition leads to a lower address.
 *
 * The allocation-free walking API ({@link step}, {@link isFinal}, {@link finalOutput}) is what the
 * tagger uses; {@link node} decodes a node for everything else.
 */
export class RawFst {
  /** The serialized FST, header included (a view on the caller's memory, never a copy). */
  readonly data: Uint8Array;
  /** Address of the root node. */
  readonly root: number;
  /** Number of keys. */
  readonly size: number;
  /** Output of the transition taken by the last successful {@link step}. */
  stepOutput = 0;
  /** Sum of the outputs collected by the last successful {@link walk}. */
  walkOutput = 0;
  /** Root transitions by byte: target address or NONE (the root is stepped from at every token). */
  private readonly rootTargets = new Int32Array(256).fill(NONE);
  private readonly rootOutputs = new Float64Array(256);

  private constructor(data: Uint8Array, root: number, size: number) {
    this.data = data;
    this.root = root;
    this.size = size;
    const v = new NodeView().load(data, root);
    for (let i = 0; i < v.numTransitions; i++) {
      this.rootTargets[v.label(i)] = v.target(i);
      this.rootOutputs[v.label(i)] = v.output(i);
    }
  }

  /**
   * Views `bytes` as an FST without copying. Throws {@link FormatError} (not an FST),
   * {@link VersionError}, {@link TruncatedError} or {@link CorruptError}: a damaged array is never
   * served. Cost: O(1) plus the checksum, O(n) at memory speed, when `verify` is on.
   */
  static load(bytes: FstBytes, options: LoadOptions = {}): RawFst {
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (data.length < HEADER_SIZE) {
      if (data.length >= MAGIC.length && startsWithMagic(data))
        throw new TruncatedError(HEADER_SIZE, data.length);
      throw new FormatError(`not an FST: ${data.length} bytes, shorter than the ${HEADER_SIZE}-byte header`);
    }
    if (!startsWithMagic(data)) throw new FormatError("not an FST: the magic number SODAFST is missing");
    const version = readU32(data, 8);
    if (version !== VERSION) throw new VersionError(VERSION, version);
    const length = readU64(data, 32);
    if (data.length < length) throw new TruncatedError(length, data.length);
    if (data.length > length)
      throw new CorruptError(`${data.length} bytes present, the header says ${length}`);
    if (length > MAX_LENGTH)
      throw new CorruptError(`length ${length} exceeds the ${MAX_LENGTH}-byte maximum`);
    if (options.verify !== false) {
      const crc = crc32(data.subarray(CHECKSUM_OFFSET + 4), crc32(data.subarray(0, CHECKSUM_OFFSET)));
      if (crc !== readU32(data, CHECKSUM_OFFSET)) throw new CorruptError("checksum mismatch");
    }
    const root = readU64(data, 24);
    if (root < HEADER_SIZE || root >= length) throw new CorruptError(`root address ${root} out of range`);
    return new RawFst(data, root, readU64(data, 16));
  }

  /** Decodes the node at `address` into `into` (or a new view). */
  node(address: number, into: NodeView = new NodeView()): NodeView {
    return into.load(this.data, address);
  }

  /**
   * Follows the transition labelled `byte` out of the node at `address`: returns the target address and
   * sets {@link stepOutput}, or returns {@link NONE}. O(1) for the root and one-transition nodes, else a
   * scan or binary search of the labels; never allocates.
   */
  step(address: number, byte: number): number {
    if (address === this.root) {
      this.stepOutput = this.rootOutputs[byte];
      return this.rootTargets[byte];
    }
    const data = this.data;
    const h = data[address];
    let p = address - 1;
    if (h & ONE_TRANS) {
      const code = h & 0x3f;
      let label: number;
      if (code === 0) label = data[p--];
      else label = COMMON_INPUTS[code];
      if (label !== byte) return NONE;
      this.stepOutput = 0;
      if (h & ONE_NEXT_PREV) return p;
      let d = 0;
      let mul = 1;
      let b: number;
      do {
        b = data[p--];
        d += (b & 0x7f) * mul;
        mul *= 128;
      } while (b & 0x80 && mul < 2 ** 56);
      return p + 1 - d;
    }
    let n = h & GEN_COUNT_MASK;
    if (n === 0) return NONE;
    if (n === GEN_COUNT_EXPLICIT) n = data[p--] + 1;
    if (h & GEN_FINAL_OUTPUT) while (data[p--] & 0x80);
    const widths = data[p--];
    let i = -1;
    if (n <= 16) {
      for (let j = 0; j < n; j++) {
        const l = data[p - j];
        if (l === byte) {
          i = j;
          break;
        }
        if (l > byte) return NONE;
      }
      if (i < 0) return NONE;
    } else {
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const l = data[p - mid];
        if (l === byte) {
          i = mid;
          break;
        }
        if (l < byte) lo = mid + 1;
        else hi = mid - 1;
      }
      if (i < 0) return NONE;
    }
    const ow = widths >> 4;
    const dw = widths & 0x0f;
    const distPos = p - n;
    const outPos = distPos - n * dw;
    const start = outPos - n * ow + 1;
    this.stepOutput = ow === 0 ? 0 : readFixed(data, outPos - i * ow, ow);
    return start - readFixed(data, distPos - i * dw, dw);
  }

  /** Whether the node at `address` ends a key. O(1). */
  isFinal(address: number): boolean {
    const h = this.data[address];
    return (h & ONE_TRANS) === 0 && (h & GEN_FINAL) !== 0;
  }

  /** Output added when a key ends at the node at `address` (0 for non-final nodes). O(1). */
  finalOutput(address: number): number {
    const data = this.data;
    const h = data[address];
    if (h & ONE_TRANS || (h & GEN_FINAL_OUTPUT) === 0) return 0;
    let p = address - 1;
    if ((h & GEN_COUNT_MASK) === GEN_COUNT_EXPLICIT) p--;
    let v = 0;
    let mul = 1;
    let b: number;
    do {
      b = data[p--];
      v += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80 && mul < 2 ** 56);
    return v;
  }

  /**
   * Output of the key `bytes[start, end)`, or -1 when the key is absent. O(key length). Taking a range
   * lets callers look up keys inside a larger buffer without creating a view per key.
   */
  get(bytes: Uint8Array, start = 0, end = bytes.length): number {
    const addr = this.walk(this.root, bytes, start, end);
    if (addr === NONE || !this.isFinal(addr)) return -1;
    return this.walkOutput + this.finalOutput(addr);
  }

  /**
   * Steps through `bytes[start, end)` from the node at `address`: returns the node reached and sets
   * {@link walkOutput} to the outputs collected on the way, or returns {@link NONE}. This is the
   * tagger's inner loop, inlined (no call or field store per byte): walks are bound by memory latency
   * and the per-byte call cost a third of the time. Never allocates.
   */
  walk(address: number, bytes: Uint8Array, start: number, end: number): number {
    let addr = address;
    let out = 0;
    let i = start;
    if (addr === this.root && i < end) {
      addr = this.rootTargets[bytes[i]];
      if (addr === NONE) return NONE;
      out = this.rootOutputs[bytes[i]];
      i++;
    }
    const data = this.data;
    for (; i < end; i++) {
      const byte = bytes[i];
      const h = data[addr];
      let p = addr - 1;
      if (h & ONE_TRANS) {
        const code = h & 0x3f;
        const label = code === 0 ? data[p--] : COMMON_INPUTS[code];
        if (label !== byte) return NONE;
        if (h & ONE_NEXT_PREV) {
          addr = p;
          continue;
        }
        let d = 0;
        let mul = 1;
        let b: number;
        do {
          b = data[p--];
          d += (b & 0x7f) * mul;
          mul *= 128;
        } while (b & 0x80 && mul < 2 ** 56);
        addr = p + 1 - d;
        continue;
      }
      let n = h & GEN_COUNT_MASK;
      if (n === 0) return NONE;
      if (n === GEN_COUNT_EXPLICIT) n = data[p--] + 1;
      if (h & GEN_FINAL_OUTPUT) while (data[p--] & 0x80);
      const widths = data[p--];
      let j = 0;
      if (n <= 16) {
        while (j < n && data[p - j] < byte) j++;
      } else {
        let hi = n;
        while (j < hi) {
          const mid = (j + hi) >>> 1;
          if (data[p - mid] < byte) j = mid + 1;
          else hi = mid;
        }
      }
      if (j === n || data[p - j] !== byte) return NONE;
      const ow = widths >> 4;
      const dw = widths & 0x0f;
      const distPos = p - n;
      const outPos = distPos - n * dw;
      if (ow !== 0) out += ow === 1 ? data[outPos - j] : readFixed(data, outPos - j * ow, ow);
      const q = distPos - j * dw;
      const d = dw === 1 ? data[q] : dw === 2 ? data[q] | (data[q - 1] << 8) : readFixed(data, q, dw);
      addr = outPos - n * ow + 1 - d;
    }
    this.walkOutput = out;
    return addr;
  }
}

function startsWithMagic(data: Uint8Array): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (data[i] !== MAGIC[i]) return false;
  return true;
}
