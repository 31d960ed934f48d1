/**
 * Errors of the FST engine. Every error has a stable `code` (`SODA_ERR_FST_*`) and carries the data a
 * caller needs to act on it (the offending keys, the versions), as BurntSushi's `fst` does.
 */

/** Base class of every FST error; `code` is stable across releases. */
export class FstError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Renders a key for an error message: UTF-8 when it decodes cleanly, hex bytes otherwise. */
export function describeKey(key: Uint8Array): string {
  try {
    return JSON.stringify(new TextDecoder("utf-8", { fatal: true }).decode(key));
  } catch {
    return `0x${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("hex")}`;
  }
}

/** A key was inserted that sorts before the previous one. Keys must come in byte-lexicographic order. */
export class OutOfOrderError extends FstError {
  constructor(
    readonly previous: Uint8Array,
    readonly got: Uint8Array,
  ) {
    super(
      "SODA_ERR_FST_OUT_OF_ORDER",
      `key ${describeKey(got)} was inserted after ${describeKey(previous)}: keys must be inserted in ` +
        "byte-lexicographic (UTF-8) order; sort them first, or use FstMap.fromEntries which sorts",
    );
  }
}

/** The same key was inserted twice. Merge the outputs before building. */
export class DuplicateKeyError extends FstError {
  constructor(readonly got: Uint8Array) {
    super(
      "SODA_ERR_FST_DUPLICATE_KEY",
      `key ${describeKey(got)} was inserted twice: an FST maps each key to one output; merge duplicates ` +
        "(for example into one postings list) before building",
    );
  }
}

/** An output is not a non-negative safe integer. */
export class OutputValueError extends FstError {
  constructor(readonly value: number) {
    super(
      "SODA_ERR_FST_OUTPUT",
      `output ${value} is invalid: outputs must be integers in [0, 2^53 - 1] (Number.isSafeInteger)`,
    );
  }
}

/** The bytes given to the loader do not start with the FST magic number: this is not an FST. */
export class FormatError extends FstError {
  constructor(message: string) {
    super("SODA_ERR_FST_FORMAT", message);
  }
}

/** The FST was written by a different format version. */
export class VersionError extends FstError {
  constructor(
    readonly expected: number,
    readonly got: number,
  ) {
    super(
      "SODA_ERR_FST_VERSION",
      `FST format version ${got} is not supported (this build reads version ${expected}): ` +
        "re-generate the FST (recompile the lexicon) with this version of soda",
    );
  }
}

/** The array is shorter than its header says: the file was cut off while being written or copied. */
export class TruncatedError extends FstError {
  constructor(
    readonly expectedLength: number,
    readonly gotLength: number,
  ) {
    super(
      "SODA_ERR_FST_TRUNCATED",
      `FST is truncated: ${gotLength} bytes present, ${expectedLength} expected; ` +
        "the file is incomplete: re-generate it from its source",
    );
  }
}

/** The bytes do not match the checksum or are structurally inconsistent. */
export class CorruptError extends FstError {
  constructor(message: string) {
    super("SODA_ERR_FST_CORRUPT", `FST is corrupt: ${message}; re-generate it from its source`);
  }
}

/** The automaton would exceed the largest array this engine addresses (2 GiB). */
export class TooLargeError extends FstError {
  constructor(bytes: number) {
    super(
      "SODA_ERR_FST_TOO_LARGE",
      `FST would need ${bytes} bytes, more than the 2 GiB one automaton may hold: split the key set`,
    );
  }
}

/** Type guard that works across realms (worker threads): checks the code, not the prototype. */
export function isFstError(e: unknown): e is FstError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { code?: unknown }).code === "string" &&
    (e as { code: string }).code.startsWith("SODA_ERR_FST_")
  );
}
