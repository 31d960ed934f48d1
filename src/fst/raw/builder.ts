import { crc32 } from "node:zlib";
import { growUint8 } from "../../util/grow.js";
import { DuplicateKeyError, OutOfOrderError, OutputValueError, TooLargeError } from "../errors.js";
import {
  byteWidth,
  CHECKSUM_OFFSET,
  COMMON_INDEX,
  GEN_COUNT_EXPLICIT,
  GEN_FINAL,
  GEN_FINAL_OUTPUT,
  HEADER_SIZE,
  MAGIC,
  MAX_LENGTH,
  ONE_NEXT_PREV,
  ONE_TRANS,
  VERSION,
  writeU32,
  writeU64,
} from "./format.js";
import { NodeView } from "./node.js";

/** Options of {@link Builder}. */
export interface BuilderOptions {
  /**
   * Number of buckets (two nodes each) of the registry that finds equal suffixes. Bigger finds more
   * shared suffixes (a smaller automaton) at 32 bytes per bucket. Rounded up to a power of two; the
   * registry starts small and doubles with the nodes written up to this bound.
   * @default 1 << 20 (32 MiB)
   */
  registryBuckets?: number;
  /** Initial capacity of the output array in bytes; it doubles as needed. @default 1 MiB */
  initialCapacity?: number;
}

/** A node still open for new transitions: the builder keeps one per byte of the last key. */
class Unfinished {
  isFinal = false;
  finalOutput = 0;
  count = 0;
  labels = new Uint8Array(4);
  outputs = new Float64Array(4);
  targets = new Float64Array(4);

  push(label: number, output: number): void {
    if (this.count === this.labels.length) {
      const cap = this.count * 2;
      this.labels = growUint8(this.labels, cap);
      const o = new Float64Array(cap);
      o.set(this.outputs);
      this.outputs = o;
      const t = new Float64Array(cap);
      t.set(this.targets);
      this.targets = t;
    }
    this.labels[this.count] = label;
    this.outputs[this.count] = output;
    this.targets[this.count] = -1;
    this.count++;
  }

  /** Adds `v` to every output leaving this node (outputs pushed down from its parent). */
  prependOutput(v: number): void {
    if (this.isFinal) this.finalOutput += v;
    for (let i = 0; i < this.count; i++) this.outputs[i] += v;
  }

  reset(): void {
    this.isFinal = false;
    this.finalOutput = 0;
    this.count = 0;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Builds a minimal acyclic FST from keys given in byte-lexicographic order, each with a non-negative
 * integer output, as in Daciuk et al. and BurntSushi's `fst`: each node is frozen as soon as no later
 * key can reach it, and an equal node already written is reused instead (prefixes are shared by
 * construction, suffixes through the registry).
 *
 * Contract:
 * - keys strictly ascend in byte order: a smaller key throws {@link OutOfOrderError}, a repeated one
 *   {@link DuplicateKeyError}; either leaves the builder usable with the keys inserted so far;
 * - outputs are safe integers ≥ 0 ({@link OutputValueError});
 * - memory is the output array plus the registry (fixed size) plus O(longest key) open nodes: it does
 *   not grow with the number of keys beyond the automaton itself. Minimality is exact while the
 *   registry holds every node and near-minimal beyond (a suffix evicted from the registry is written
 *   again, never wrongly shared).
 *
 * Cost: O(key length) amortized per insert, plus one registry probe per frozen node.
 */
export class Builder {
  private data: Uint8Array;
  private len = HEADER_SIZE;
  private readonly stack: Unfinished[] = [new Unfinished()];
  private last: Uint8Array = new Uint8Array(64);
  private lastLen = -1;
  private count = 0;
  /** Registry buckets of two cells, each cell (hash, address), interleaved so a probe touches one line. */
  private reg: Float64Array;
  private regMask: number;
  private wroteLast = false;
  private readonly regMaxBuckets: number;
  private written = 0;
  private readonly view = new NodeView();
  private scratch = new Uint8Array(64);
  private finished = false;

  constructor(options: BuilderOptions = {}) {
    this.regMaxBuckets = 2 ** Math.ceil(Math.log2(Math.max(16, options.registryBuckets ?? 1 << 20)));
    // Start small (a commit of a hundred names should not zero 24 MiB) and double with the nodes written.
    const buckets = Math.min(this.regMaxBuckets, 1 << 12);
    this.reg = new Float64Array(buckets * 4);
    this.regMask = buckets - 1;
    this.data = new Uint8Array(Math.max(HEADER_SIZE * 2, options.initialCapacity ?? 1 << 20));
  }

  /** Number of keys inserted so far. */
  get size(): number {
    return this.count;
  }

  /** Adds `key` with `output`. See the class contract for ordering and errors. */
  insert(key: Uint8Array, output = 0): void {
    this.insertRange(key, 0, key.length, output);
  }

  /**
   * Adds the key `bytes[from, to)` with `output`, as {@link insert} does, without a view per key (for
   * keys packed in one buffer). Same contract.
   */
  insertRange(bytes: Uint8Array, from: number, to: number, output = 0): void {
    if (this.finished) throw new Error("Builder.insert after finish(): create a new Builder");
    if (!Number.isSafeInteger(output) || output < 0) throw new OutputValueError(output);
    const length = to - from;
    const prefix = this.checkOrder(bytes, from, length);
    const stack = this.stack;
    this.freezeFrom(prefix + 1);
    // Push the new output down the shared prefix: each transition keeps the common part.
    let out = output;
    for (let i = 0; i < prefix; i++) {
      const node = stack[i];
      const j = node.count - 1;
      const existing = node.outputs[j];
      const common = Math.min(existing, out);
      const rest = existing - common;
      node.outputs[j] = common;
      out -= common;
      if (rest > 0) stack[i + 1].prependOutput(rest);
    }
    for (let i = stack.length; i <= length; i++) stack.push(new Unfinished());
    if (length === prefix) {
      // Only the empty key as the first key gets here: longer keys always extend past the prefix.
      stack[prefix].isFinal = true;
      stack[prefix].finalOutput = out;
    } else {
      stack[prefix].push(bytes[from + prefix], out);
      for (let i = prefix + 1; i < length; i++) stack[i].push(bytes[from + i], 0);
      const leaf = stack[length];
      leaf.isFinal = true;
      leaf.finalOutput = 0;
    }
    this.remember(bytes, from, length, prefix);
    this.count++;
  }

  /**
   * Freezes every open node and returns the serialized FST (header with checksum, then nodes), a fresh
   * array of exactly the automaton's size. The builder cannot be used afterwards.
   */
  finish(): Uint8Array {
    if (this.finished) throw new Error("Builder.finish called twice");
    this.freezeFrom(1);
    const root = this.compile(this.stack[0], this.lastLen > 0 && this.wroteLast);
    this.finished = true;
    const out = this.data.slice(0, this.len);
    this.data = EMPTY;
    out.set(MAGIC, 0);
    writeU32(out, 8, VERSION);
    writeU32(out, 12, 0);
    writeU64(out, 16, this.count);
    writeU64(out, 24, root);
    writeU64(out, 32, out.length);
    writeU32(out, 44, 0);
    const crc = crc32(out.subarray(CHECKSUM_OFFSET + 4), crc32(out.subarray(0, CHECKSUM_OFFSET)));
    writeU32(out, CHECKSUM_OFFSET, crc);
    return out;
  }

  /** Validates ordering against the previous key; returns the length of the common prefix. */
  private checkOrder(bytes: Uint8Array, from: number, length: number): number {
    if (this.lastLen < 0) return 0;
    const last = this.last;
    const n = Math.min(this.lastLen, length);
    let i = 0;
    while (i < n && last[i] === bytes[from + i]) i++;
    const key = () => bytes.slice(from, from + length);
    if (i === n) {
      if (length === this.lastLen) throw new DuplicateKeyError(key());
      if (length < this.lastLen) throw new OutOfOrderError(last.slice(0, this.lastLen), key());
      return i;
    }
    if (bytes[from + i] < last[i]) throw new OutOfOrderError(last.slice(0, this.lastLen), key());
    return i;
  }

  /** Keeps the key as the last one; its first `prefix` bytes are those of the previous key already. */
  private remember(bytes: Uint8Array, from: number, length: number, prefix: number): void {
    if (length > this.last.length) {
      const grown = new Uint8Array(length * 2);
      grown.set(this.last.subarray(0, prefix));
      this.last = grown;
    }
    const last = this.last;
    for (let i = prefix; i < length; i++) last[i] = bytes[from + i];
    this.lastLen = length;
  }

  /** Freezes the open nodes at depth ≥ `depth` (deepest first) and links them into their parents. */
  private freezeFrom(depth: number): void {
    const stack = this.stack;
    let fresh = false;
    for (let d = this.lastLen; d >= depth; d--) {
      const addr = this.compile(stack[d], fresh);
      fresh = this.wroteLast;
      const parent = stack[d - 1];
      parent.targets[parent.count - 1] = addr;
      stack[d].reset();
    }
  }

  /**
   * Returns the address of a written node equal to `node`, writing it if the registry has none.
   * `childFresh` says the node's last transition leads to a node written just now: then no written node
   * can equal this one (none points to that child yet), and the registry probe is skipped, which saves
   * a cache miss for every node of a new suffix but the deepest.
   */
  private compile(node: Unfinished, childFresh: boolean): number {
    let h = node.isFinal ? 0x9e3779b1 : 0x85ebca6b;
    h = mix(h, node.finalOutput);
    for (let i = 0; i < node.count; i++) {
      h = Math.imul(h ^ node.labels[i], 0x01000193);
      h = mix(h, node.outputs[i]);
      h = mix(h, node.targets[i]);
    }
    h ^= h >>> 15;
    const reg = this.reg;
    const b = (h & this.regMask) * 4;
    if (!childFresh) {
      if (reg[b + 1] !== 0 && reg[b] === h && this.equals(reg[b + 1], node)) {
        this.wroteLast = false;
        return reg[b + 1];
      }
      if (reg[b + 3] !== 0 && reg[b + 2] === h && this.equals(reg[b + 3], node)) {
        // Move to the front: the two cells of a bucket are kept in least-recently-used order.
        const a = reg[b + 3];
        reg[b + 2] = reg[b];
        reg[b + 3] = reg[b + 1];
        reg[b] = h;
        reg[b + 1] = a;
        this.wroteLast = false;
        return a;
      }
    }
    const addr = this.write(node);
    this.wroteLast = true;
    if (++this.written > this.regMask + 1 && this.regMask + 1 < this.regMaxBuckets) this.growRegistry();
    this.register(addr, h);
    return addr;
  }

  /** Doubles the registry, keeping every remembered node (most recent first in each bucket). */
  private growRegistry(): void {
    const old = this.reg;
    const buckets = (this.regMask + 1) * 2;
    this.reg = new Float64Array(buckets * 4);
    this.regMask = buckets - 1;
    // Older cells (the second of each bucket) first, so that the fresher ones end up in front.
    for (const cell of [2, 0]) {
      for (let i = cell; i < old.length; i += 4) if (old[i + 1] !== 0) this.register(old[i + 1], old[i]);
    }
  }

  private register(addr: number, h: number): void {
    const reg = this.reg;
    const b = (h & this.regMask) * 4;
    reg[b + 2] = reg[b];
    reg[b + 3] = reg[b + 1];
    reg[b] = h;
    reg[b + 1] = addr;
  }

  private equals(addr: number, node: Unfinished): boolean {
    const v = this.view.load(this.data, addr);
    if (v.isFinal !== node.isFinal || v.finalOutput !== node.finalOutput) return false;
    if (v.numTransitions !== node.count) return false;
    for (let i = 0; i < node.count; i++) {
      if (v.label(i) !== node.labels[i] || v.target(i) !== node.targets[i] || v.output(i) !== node.outputs[i])
        return false;
    }
    return true;
  }

  /** Encodes `node` in read order into the scratch array, then writes it reversed; returns its address. */
  private write(node: Unfinished): number {
    const start = this.len;
    const n = node.count;
    if (this.scratch.length < 32 + n * 17) this.scratch = new Uint8Array(64 + n * 17);
    const s = this.scratch;
    let k = 0;
    if (n === 1 && !node.isFinal && node.outputs[0] === 0) {
      const label = node.labels[0];
      const code = COMMON_INDEX[label];
      const d = start - node.targets[0];
      s[k++] = ONE_TRANS | (d === 1 ? ONE_NEXT_PREV : 0) | code;
      if (code === 0) s[k++] = label;
      if (d !== 1) k = putVarint(s, k, d);
    } else {
      const explicit = n >= GEN_COUNT_EXPLICIT;
      s[k++] =
        (node.isFinal ? GEN_FINAL : 0) |
        (node.finalOutput > 0 ? GEN_FINAL_OUTPUT : 0) |
        (explicit ? GEN_COUNT_EXPLICIT : n);
      if (explicit) s[k++] = n - 1;
      if (node.finalOutput > 0) k = putVarint(s, k, node.finalOutput);
      if (n > 0) {
        let maxOut = 0;
        let maxDist = 1;
        for (let i = 0; i < n; i++) {
          if (node.outputs[i] > maxOut) maxOut = node.outputs[i];
          const d = start - node.targets[i];
          if (d > maxDist) maxDist = d;
        }
        const ow = byteWidth(maxOut);
        const dw = byteWidth(maxDist);
        s[k++] = (ow << 4) | dw;
        for (let i = 0; i < n; i++) s[k++] = node.labels[i];
        for (let i = 0; i < n; i++) k = putFixed(s, k, start - node.targets[i], dw);
        if (ow > 0) for (let i = 0; i < n; i++) k = putFixed(s, k, node.outputs[i], ow);
      }
    }
    this.reserve(k);
    const data = this.data;
    const end = start + k - 1;
    for (let j = 0; j < k; j++) data[end - j] = s[j];
    this.len = start + k;
    return end;
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.data.length) return;
    if (need > MAX_LENGTH) throw new TooLargeError(need);
    const grown = new Uint8Array(Math.min(MAX_LENGTH, Math.max(need, this.data.length * 2)));
    grown.set(this.data.subarray(0, this.len));
    this.data = grown;
  }
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ (v >>> 0), 0x01000193);
  return v > 0xffff_ffff ? Math.imul(h ^ Math.floor(v / 0x1_0000_0000), 0x01000193) : h;
}

function putVarint(s: Uint8Array, k: number, v: number): number {
  while (v >= 0x80) {
    s[k++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  s[k++] = v;
  return k;
}

function putFixed(s: Uint8Array, k: number, v: number, width: number): number {
  for (let i = 0; i < width; i++) {
    s[k++] = v % 256;
    v = Math.floor(v / 256);
  }
  return k;
}
