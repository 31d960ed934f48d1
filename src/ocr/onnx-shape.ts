/**
 * Just enough of the protobuf wire format to change one fixed dimension of an ONNX model's input in
 * its serialized bytes, so that a model exported with a fixed size can be run at another without a
 * converted model file (ONNX Runtime accepts model bytes). Path walked:
 * ModelProto.graph (7) → GraphProto.input (11) → ValueInfoProto.type (2) → TypeProto.tensor_type (1)
 * → Tensor.shape (2) → TensorShapeProto.dim (1) → Dimension.dim_value (1).
 */

/** The model's bytes do not have the shape the patch expects. */
export class OnnxShapeError extends Error {
  readonly code = "SODA_ERR_ONNX_SHAPE";

  /** `what` names the input and axis. */
  constructor(
    message: string,
    readonly what: string,
  ) {
    super(message);
    this.name = "OnnxShapeError";
  }
}

interface Field {
  number: number;
  wire: number;
  /** Value bytes: [start, end) of a length-delimited field, the varint's bytes otherwise. */
  start: number;
  end: number;
}

function varint(buf: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new RangeError("truncated varint");
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: pos };
    scale *= 128;
  }
}

/** The fields of the message in `buf[start, end)`, in order. */
function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const key = varint(buf, pos);
    const number = Math.floor(key.value / 8);
    const wire = key.value % 8;
    pos = key.next;
    let from = pos;
    if (wire === 0) pos = varint(buf, pos).next;
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint(buf, pos);
      from = len.next;
      pos = len.next + len.value;
    } else throw new RangeError(`unsupported protobuf wire type ${wire}`);
    if (pos > end) throw new RangeError("truncated protobuf field");
    yield { number, wire, start: from, end: pos };
  }
}

/** The `index`-th field numbered `number` (length-delimited) of the message `within`. */
function nth(buf: Uint8Array, within: { start: number; end: number }, number: number, index = 0) {
  let i = 0;
  for (const f of fields(buf, within.start, within.end))
    if (f.number === number && f.wire === 2 && i++ === index) return f;
  return undefined;
}

/**
 * A copy of the serialized ONNX model `model` whose graph input number `input` has `value` as its
 * fixed size along `axis`; `model` itself when that dimension is symbolic (named), as it then takes any
 * size. The old and new sizes must take as many varint bytes (both below 128, say), so the patch
 * is one byte and no enclosing length changes. Throws OnnxShapeError when the path is missing. O(number
 * of top-level fields of the graph).
 */
export function withInputDim(model: Uint8Array, input: number, axis: number, value: number): Uint8Array {
  const what = `input ${input}, axis ${axis}`;
  const fail = (why: string) => new OnnxShapeError(`cannot set ${what} of the ONNX model: ${why}`, what);
  let msg: { start: number; end: number } | undefined = { start: 0, end: model.length };
  for (const [number, index, name] of [
    [7, 0, "graph"],
    [11, input, "graph input"],
    [2, 0, "type"],
    [1, 0, "tensor type"],
    [2, 0, "shape"],
    [1, axis, "dimension"],
  ] as const) {
    msg = nth(model, msg, number, index);
    if (!msg) throw fail(`no ${name}`);
  }
  for (const f of fields(model, msg.start, msg.end)) {
    if (f.number === 2 && f.wire === 2) return model; // dim_param: symbolic
    if (f.number !== 1 || f.wire !== 0) continue;
    const bytes = encodeVarint(value);
    if (bytes.length !== f.end - f.start)
      throw fail(`${varint(model, f.start).value} and ${value} differ in encoded length`);
    const out = Uint8Array.from(model);
    out.set(bytes, f.start);
    return out;
  }
  throw fail("the dimension has neither a size nor a name");
}

function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}
