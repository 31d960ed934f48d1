import type { Automaton } from "../automaton.js";
import { NONE, type RawFst } from "./fst.js";
import { NodeView } from "./node.js";

/** Bounds of a {@link Stream}; each is a byte string, and bounds combine (a prefix and a range). */
export interface StreamBounds {
  /** Only keys starting with these bytes. */
  prefix?: Uint8Array;
  /** Keys ≥ `gte`. */
  gte?: Uint8Array;
  /** Keys > `gt`. */
  gt?: Uint8Array;
  /** Keys ≤ `lte`. */
  lte?: Uint8Array;
  /** Keys < `lt`. */
  lt?: Uint8Array;
}

const ON_LOWER = 1;
const ON_UPPER = 2;

/**
 * Ordered iteration over the keys of an FST, optionally bounded and intersected with an automaton.
 * Pull-based and allocation-light: {@link next} advances, then {@link key} (a view valid until the next
 * call), {@link keyLength}, {@link value} and {@link state} describe the current key.
 *
 * Keys come in byte-lexicographic order. Cost: O(nodes visited); bounds and `canMatch` prune whole
 * subtrees, so a prefix or narrow range costs O(bound length + keys listed × key length).
 */
export class Stream<S = null> {
  /** Bytes of the current key: `key.subarray(0, keyLength)`. */
  key = new Uint8Array(64);
  keyLength = 0;
  /** Output of the current key. */
  value = 0;
  /** Automaton state after the current key. */
  state: S;
  private addrs: number[] = [];
  private idx: number[] = [];
  private outs: number[] = [];
  private flags: number[] = [];
  private states: S[] = [];
  private readonly view = new NodeView();
  private readonly lower: Uint8Array | null;
  private readonly lowerInclusive: boolean;
  private readonly upper: Uint8Array | null;
  private readonly upperInclusive: boolean;
  private base = 0;
  private done = false;

  constructor(
    private readonly fst: RawFst,
    private readonly automaton: Automaton<S>,
    bounds: StreamBounds = {},
  ) {
    this.lower = bounds.gt ?? bounds.gte ?? null;
    this.lowerInclusive = bounds.gt === undefined;
    this.upper = bounds.lt ?? bounds.lte ?? null;
    this.upperInclusive = bounds.lt === undefined;
    this.state = automaton.start();
    const prefix = bounds.prefix ?? new Uint8Array(0);
    let addr = fst.root;
    let out = 0;
    let st = this.state;
    for (let i = 0; i < prefix.length; i++) {
      addr = fst.step(addr, prefix[i]);
      if (addr === NONE) {
        this.done = true;
        return;
      }
      out += fst.stepOutput;
      st = automaton.accept(st, prefix[i]);
    }
    if (!automaton.canMatch(st)) {
      this.done = true;
      return;
    }
    this.ensureKey(prefix.length);
    this.key.set(prefix);
    this.base = prefix.length;
    // The prefix is already consumed: the bounds are checked against it as if walked through it.
    let flags = 0;
    if (this.lower) {
      const c = comparePrefix(prefix, this.lower);
      if (c > 0) flags |= 0;
      else if (c < 0) this.done = true;
      else flags |= ON_LOWER;
    }
    if (this.upper) {
      const c = comparePrefix(prefix, this.upper);
      if (c < 0) flags |= 0;
      else if (c > 0) this.done = true;
      else flags |= ON_UPPER;
    }
    this.pushFrame(addr, out, flags, st);
  }

  /** Advances to the next key; false when there is none. */
  next(): boolean {
    if (this.done) return false;
    const fst = this.fst;
    const view = this.view;
    const a = this.automaton;
    const lower = this.lower;
    const upper = this.upper;
    while (this.addrs.length > 0) {
      const top = this.addrs.length - 1;
      const depth = this.base + top;
      const addr = this.addrs[top];
      const flags = this.flags[top];
      let i = this.idx[top];
      if (i < 0) {
        i = 0;
        if (fst.isFinal(addr) && a.isMatch(this.states[top])) {
          let emit = true;
          if (flags & ON_LOWER && (depth < lower!.length || !this.lowerInclusive)) emit = false;
          if (flags & ON_UPPER && depth === upper!.length && !this.upperInclusive) {
            this.done = true;
            return false;
          }
          if (emit) {
            this.idx[top] = 0;
            this.keyLength = depth;
            this.value = this.outs[top] + fst.finalOutput(addr);
            this.state = this.states[top];
            return true;
          }
        }
      }
      view.load(fst.data, addr);
      const n = view.numTransitions;
      if (i === 0 && flags & ON_LOWER && depth < lower!.length) i = view.lowerBound(lower![depth]);
      if (i >= n) {
        this.popFrame();
        continue;
      }
      const label = view.label(i);
      this.idx[top] = i + 1;
      let childFlags = 0;
      if (flags & ON_LOWER && depth < lower!.length && label === lower![depth]) childFlags |= ON_LOWER;
      if (flags & ON_UPPER) {
        if (depth >= upper!.length || label > upper![depth]) {
          this.done = true;
          return false;
        }
        if (label === upper![depth]) childFlags |= ON_UPPER;
      }
      const st = a.accept(this.states[top], label);
      if (!a.canMatch(st)) continue;
      this.ensureKey(depth + 1);
      this.key[depth] = label;
      this.pushFrame(view.target(i), this.outs[top] + view.output(i), childFlags, st);
    }
    this.done = true;
    return false;
  }

  private pushFrame(addr: number, out: number, flags: number, st: S): void {
    this.addrs.push(addr);
    this.idx.push(-1);
    this.outs.push(out);
    this.flags.push(flags);
    this.states.push(st);
  }

  private popFrame(): void {
    this.addrs.pop();
    this.idx.pop();
    this.outs.pop();
    this.flags.pop();
    this.states.pop();
  }

  private ensureKey(n: number): void {
    if (n <= this.key.length) return;
    const k = new Uint8Array(n * 2);
    k.set(this.key);
    this.key = k;
  }
}

/** Compares `p` with the first |p| bytes of `bound`: -1, 0 or 1; 1 also when p is longer and equal so far. */
function comparePrefix(p: Uint8Array, bound: Uint8Array): number {
  const n = Math.min(p.length, bound.length);
  for (let i = 0; i < n; i++) if (p[i] !== bound[i]) return p[i] < bound[i] ? -1 : 1;
  return p.length > bound.length ? 1 : 0;
}
