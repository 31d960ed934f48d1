import {
  COMMON_INPUTS,
  GEN_COUNT_EXPLICIT,
  GEN_COUNT_MASK,
  GEN_FINAL,
  GEN_FINAL_OUTPUT,
  ONE_NEXT_PREV,
  ONE_TRANS,
  readFixed,
} from "./format.js";

/**
 * A decoded view of one node, reusable: {@link NodeView.load} re-points it at another node without
 * allocating. Decoding costs O(1) (a few header bytes); `label`, `target`, `output` cost O(width);
 * {@link NodeView.find} is a linear scan up to 16 transitions, a binary search above.
 *
 * Invariant (checked by the builder, relied on by every walk): `target(i) < address` for every i, so
 * any walk strictly descends and terminates.
 */
export class NodeView {
  data: Uint8Array = new Uint8Array(0);
  address = 0;
  isFinal = false;
  finalOutput = 0;
  numTransitions = 0;
  /** First byte of the node: the node written before it ends at `start - 1`. */
  start = 0;
  private oneTrans = false;
  private oneLabel = 0;
  private oneTarget = 0;
  private labelsPos = 0;
  private distPos = 0;
  private outPos = 0;
  private distWidth = 0;
  private outWidth = 0;

  /** Decodes the node at `address` of `data`. */
  load(data: Uint8Array, address: number): this {
    this.data = data;
    this.address = address;
    const h = data[address];
    let p = address - 1;
    if (h & ONE_TRANS) {
      this.oneTrans = true;
      this.isFinal = false;
      this.finalOutput = 0;
      this.numTransitions = 1;
      const code = h & 0x3f;
      if (code === 0) this.oneLabel = data[p--];
      else this.oneLabel = COMMON_INPUTS[code];
      if (h & ONE_NEXT_PREV) {
        this.start = p + 1;
        this.oneTarget = p;
      } else {
        let d = 0;
        let mul = 1;
        let b: number;
        do {
          b = data[p--];
          d += (b & 0x7f) * mul;
          mul *= 128;
        } while (b & 0x80 && mul < 2 ** 56);
        this.start = p + 1;
        this.oneTarget = this.start - d;
      }
      return this;
    }
    this.oneTrans = false;
    this.isFinal = (h & GEN_FINAL) !== 0;
    let n = h & GEN_COUNT_MASK;
    if (n === GEN_COUNT_EXPLICIT) n = data[p--] + 1;
    this.numTransitions = n;
    let fo = 0;
    if (h & GEN_FINAL_OUTPUT) {
      let mul = 1;
      let b: number;
      do {
        b = data[p--];
        fo += (b & 0x7f) * mul;
        mul *= 128;
      } while (b & 0x80 && mul < 2 ** 56);
    }
    this.finalOutput = fo;
    if (n === 0) {
      this.start = p + 1;
      return this;
    }
    const widths = data[p--];
    this.outWidth = widths >> 4;
    this.distWidth = widths & 0x0f;
    this.labelsPos = p;
    this.distPos = p - n;
    this.outPos = this.distPos - n * this.distWidth;
    this.start = this.outPos - n * this.outWidth + 1;
    return this;
  }

  /** Input byte of transition `i` (0 ≤ i < numTransitions); labels ascend with i. */
  label(i: number): number {
    return this.oneTrans ? this.oneLabel : this.data[this.labelsPos - i];
  }

  /** Address of the node that transition `i` leads to. */
  target(i: number): number {
    if (this.oneTrans) return this.oneTarget;
    return this.start - readFixed(this.data, this.distPos - i * this.distWidth, this.distWidth);
  }

  /** Output carried by transition `i`. */
  output(i: number): number {
    if (this.oneTrans || this.outWidth === 0) return 0;
    return readFixed(this.data, this.outPos - i * this.outWidth, this.outWidth);
  }

  /** Index of the transition labelled `byte`, or -1. */
  find(byte: number): number {
    if (this.oneTrans) return this.oneLabel === byte ? 0 : -1;
    const data = this.data;
    const base = this.labelsPos;
    const n = this.numTransitions;
    if (n <= 16) {
      for (let i = 0; i < n; i++) {
        const l = data[base - i];
        if (l === byte) return i;
        if (l > byte) return -1;
      }
      return -1;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const l = data[base - mid];
      if (l === byte) return mid;
      if (l < byte) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first transition whose label is ≥ `byte`, or `numTransitions` if none. */
  lowerBound(byte: number): number {
    const n = this.numTransitions;
    for (let i = 0; i < n; i++) if (this.label(i) >= byte) return i;
    return n;
  }
}
