/**
 * `src/fst`: a minimal acyclic finite-state transducer over byte keys with integer outputs.
 *
 * The friendly surface is {@link FstMap} (build, get, list, search) and {@link FstCursor} (walk);
 * the raw layer ({@link RawFst}, {@link NodeView}, {@link Builder}, {@link Stream}) exposes nodes and
 * transitions for code that needs them. Knows nothing of lexicons or text.
 */
export { ALWAYS, type Automaton } from "./automaton.js";
export {
  CorruptError,
  DuplicateKeyError,
  FormatError,
  FstError,
  isFstError,
  OutOfOrderError,
  OutputValueError,
  TooLargeError,
  TruncatedError,
  VersionError,
} from "./errors.js";
export { editDistance, Levenshtein, type LevenshteinOptions, type LevenshteinState } from "./levenshtein.js";
export { FstCursor, FstMap, FstMapBuilder, type Key, type Range } from "./map.js";
export { Builder, type BuilderOptions } from "./raw/builder.js";
export { HEADER_SIZE, VERSION } from "./raw/format.js";
export { type FstBytes, type LoadOptions, NONE, RawFst } from "./raw/fst.js";
export { NodeView } from "./raw/node.js";
export { Stream, type StreamBounds } from "./raw/stream.js";
