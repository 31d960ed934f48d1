import { ALWAYS, type Automaton } from "./automaton.js";
import { Builder, type BuilderOptions } from "./raw/builder.js";
import { type FstBytes, type LoadOptions, NONE, RawFst } from "./raw/fst.js";
import { Stream, type StreamBounds } from "./raw/stream.js";

/** A key: a string is encoded as UTF-8; a `Uint8Array` is used as is. */
export type Key = string | Uint8Array;

/** Range of keys to list: a prefix and/or bounds, as strings or bytes. */
export interface Range {
  prefix?: Key;
  gte?: Key;
  gt?: Key;
  lte?: Key;
  lt?: Key;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBytes(key: Key): Uint8Array {
  return typeof key === "string" ? encoder.encode(key) : key;
}

function toBounds(range: Range): StreamBounds {
  const b: StreamBounds = {};
  if (range.prefix !== undefined) b.prefix = toBytes(range.prefix);
  if (range.gte !== undefined) b.gte = toBytes(range.gte);
  if (range.gt !== undefined) b.gt = toBytes(range.gt);
  if (range.lte !== undefined) b.lte = toBytes(range.lte);
  if (range.lt !== undefined) b.lt = toBytes(range.lt);
  return b;
}

/**
 * Builds an {@link FstMap} from keys in byte order (UTF-8 order for strings, which is code point order,
 * not JavaScript's UTF-16 `sort()` order). Thin wrapper over the raw {@link Builder}; same contract.
 */
export class FstMapBuilder {
  private readonly builder: Builder;
  private buf = new Uint8Array(256);

  constructor(options?: BuilderOptions) {
    this.builder = new Builder(options);
  }

  /** Adds a key. Strings are encoded into a reused buffer: no allocation per key. */
  insert(key: Key, value = 0): void {
    if (typeof key !== "string") {
      this.builder.insert(key, value);
      return;
    }
    if (key.length * 3 > this.buf.length) this.buf = new Uint8Array(key.length * 3 + 16);
    const { written } = encoder.encodeInto(key, this.buf);
    this.builder.insert(this.buf.subarray(0, written), value);
  }

  /** Number of keys inserted so far. */
  get size(): number {
    return this.builder.size;
  }

  /** Serialized bytes (see `raw/format.ts`); load them with {@link FstMap.load}. */
  finishBytes(): Uint8Array {
    return this.builder.finish();
  }

  /** Finishes and returns the map over the freshly built bytes. */
  finish(): FstMap {
    return FstMap.load(this.builder.finish(), { verify: false });
  }
}

/**
 * An immutable map from byte-string keys to non-negative integers, stored as a minimal FST in one byte
 * array. Lookups cost O(key length); listing is in byte order; nothing is copied on load.
 */
export class FstMap {
  /** The raw automaton, for walks that need nodes and transitions. */
  readonly raw: RawFst;

  private constructor(raw: RawFst) {
    this.raw = raw;
  }

  /** Views serialized bytes as a map, without copying; see {@link RawFst.load} for the errors. */
  static load(bytes: FstBytes, options?: LoadOptions): FstMap {
    return new FstMap(RawFst.load(bytes, options));
  }

  /** Builds from entries already in byte order. */
  static fromSorted(entries: Iterable<readonly [Key, number]>, options?: BuilderOptions): FstMap {
    const b = new FstMapBuilder(options);
    for (const [k, v] of entries) b.insert(k, v);
    return b.finish();
  }

  /** Builds from entries in any order (sorted here by UTF-8 bytes; duplicate keys still throw). */
  static fromEntries(entries: Iterable<readonly [Key, number]>, options?: BuilderOptions): FstMap {
    const list = Array.from(entries, ([k, v]) => [toBytes(k), v] as const);
    list.sort((a, b) => Buffer.compare(a[0], b[0]));
    return FstMap.fromSorted(list, options);
  }

  /** Number of keys. */
  get size(): number {
    return this.raw.size;
  }

  /** The serialized bytes (a view, not a copy). */
  get bytes(): Uint8Array {
    return this.raw.data;
  }

  /** Value of `key`, or undefined. */
  get(key: Key): number | undefined {
    const v = this.raw.get(toBytes(key));
    return v < 0 ? undefined : v;
  }

  /** Whether `key` is present. */
  has(key: Key): boolean {
    return this.raw.get(toBytes(key)) >= 0;
  }

  /** A cursor at the root, to walk the automaton one byte at a time. */
  cursor(): FstCursor {
    return new FstCursor(this.raw);
  }

  /** Entries in byte order, optionally within a range, keys decoded as UTF-8. */
  *entries(range: Range = {}): IterableIterator<[string, number]> {
    const s = new Stream(this.raw, ALWAYS, toBounds(range));
    while (s.next()) yield [decoder.decode(s.key.subarray(0, s.keyLength)), s.value];
  }

  /** Keys in byte order, optionally within a range. */
  *keys(range: Range = {}): IterableIterator<string> {
    for (const [k] of this.entries(range)) yield k;
  }

  /** Entries as raw bytes (copies), for keys that are not UTF-8. */
  *entriesBytes(range: Range = {}): IterableIterator<[Uint8Array, number]> {
    const s = new Stream(this.raw, ALWAYS, toBounds(range));
    while (s.next()) yield [s.key.slice(0, s.keyLength), s.value];
  }

  /**
   * Entries accepted by `automaton` (for example a {@link Levenshtein}), in byte order, with the
   * automaton's state after each key (to score a match). Cost: the nodes the automaton does not prune.
   */
  *search<S>(automaton: Automaton<S>, range: Range = {}): IterableIterator<[string, number, S]> {
    const s = new Stream(this.raw, automaton, toBounds(range));
    while (s.next()) yield [decoder.decode(s.key.subarray(0, s.keyLength)), s.value, s.state];
  }

  /** Entries in order (`for (const [key, value] of map)`). */
  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * A position in the automaton, advanced one byte at a time: what the tagger uses to extend a match
 * across tokens. Stepping never allocates; a failed step leaves the cursor where it was.
 */
export class FstCursor {
  /** Address of the current node. */
  address: number;
  /** Sum of the outputs along the path so far (without the final output). */
  output = 0;

  constructor(private readonly fst: RawFst) {
    this.address = fst.root;
  }

  /** Back to the root. */
  reset(): this {
    this.address = this.fst.root;
    this.output = 0;
    return this;
  }

  /** Follows `byte`; false (cursor unchanged) when no key continues with it. */
  step(byte: number): boolean {
    const next = this.fst.step(this.address, byte);
    if (next === NONE) return false;
    this.output += this.fst.stepOutput;
    this.address = next;
    return true;
  }

  /** Whether the bytes stepped so far form a key. */
  get isFinal(): boolean {
    return this.fst.isFinal(this.address);
  }

  /** Value of the key spelled so far; meaningful only when {@link isFinal}. */
  get value(): number {
    return this.output + this.fst.finalOutput(this.address);
  }
}
