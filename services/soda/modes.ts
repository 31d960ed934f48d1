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
