import {
  CHUNK_MODES,
  type ChunkMode,
  isChunkMode,
  REVERSE_MODES,
  type ReverseMode,
} from "../../src/fuzzy/index.js";
import { isStreamingMode, STREAMING_MODES, type StreamingMode } from "../../src/text/modes.js";
import { sodaError } from "./errors.js";

/**
 * The streaming mode a request asked for. The schema has already rejected unknown names (400
 * SODA_ERR_UNKNOWN_MODE); modes the design names but the engine does not serve yet (the chunk modes
 * `punct`, `sort`, `stem`, `fuzzy` and the reverse-lookup modes `lsort`, `s3sort`) get 400
 * SODA_ERR_MODE_UNSUPPORTED listing the modes that work.
 */
export function servedMode(mode: string, endpoint: string): StreamingMode {
  if (isStreamingMode(mode)) return mode;
  throw sodaError("SODA_ERR_MODE_UNSUPPORTED", {
    mode: JSON.stringify(mode),
    endpoint,
    modes: STREAMING_MODES.join(", "),
  });
}

/** A mode reverse lookup (`rlookup.json`, `matchphrase.json`) serves: streaming, chunk or reverse-only. */
export type LookupMode = StreamingMode | ChunkMode | ReverseMode;

/** Every mode reverse lookup serves, in the order error messages list them. */
export const LOOKUP_MODES: readonly LookupMode[] = [...STREAMING_MODES, ...CHUNK_MODES, ...REVERSE_MODES];

/**
 * The mode a reverse-lookup request asked for: every streaming mode, the chunk modes (`punct`, `sort`,
 * `stem`, `fuzzy`) and the reverse-only modes (`lsort`, `s3sort`); anything else gets 400
 * SODA_ERR_MODE_UNSUPPORTED listing them.
 */
export function servedLookupMode(mode: string, endpoint: string): LookupMode {
  if ((LOOKUP_MODES as readonly string[]).includes(mode)) return mode as LookupMode;
  throw sodaError("SODA_ERR_MODE_UNSUPPORTED", {
    mode: JSON.stringify(mode),
    endpoint,
    modes: LOOKUP_MODES.join(", "),
  });
}

/**
 * The mode an annotation request asked for, chunk modes included (`punct`, `sort`, `stem`, `fuzzy`); the
 * reverse-only modes get 400 SODA_ERR_MODE_UNSUPPORTED.
 */
export function servedAnnotationMode(mode: string, endpoint: string): StreamingMode | ChunkMode {
  if (isStreamingMode(mode) || isChunkMode(mode)) return mode;
  throw sodaError("SODA_ERR_MODE_UNSUPPORTED", {
    mode: JSON.stringify(mode),
    endpoint,
    modes: [...STREAMING_MODES, ...CHUNK_MODES].join(", "),
  });
}
