/**
 * A copy of `a` with room for `capacity` elements (twice its length by default): how the growable
 * typed-array buffers of the tagger, the analyzer and the fuzzy indexes grow. O(a.length).
 */
export function growInt32(a: Int32Array, capacity = a.length * 2): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** {@link growInt32} for bytes. O(a.length). */
export function growUint8(a: Uint8Array, capacity = a.length * 2): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(capacity);
  b.set(a);
  return b;
}
