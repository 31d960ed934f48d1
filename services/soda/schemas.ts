import { OVERLAP_POLICIES } from "../../src/annotate/overlaps.js";
import { TEXT_FORMATS } from "../../src/text/clean.js";
import { STREAMING_MODES } from "../../src/text/modes.js";

/**
 * JSON Schema pieces shared by the routes. Request schemas allow unknown properties (SoDA clients send
 * extras such as `fuzziness`) but check the type of every known one; response schemas list every field,
 * so nothing internal can leak into a response.
 */

/** Modes the design names; only the streaming ones are served today (see routes for the others). */
export const KNOWN_MODES = [...STREAMING_MODES, "punct", "sort", "stem", "fuzzy", "lsort", "s3sort"] as const;

/** `text` formats accepted by annot: the engine's (hOCR included). */
export const FORMATS = TEXT_FORMATS;

export const errorResponse = {
  type: "object",
  description: "An error: a stable code from the catalogue and a message that says what to do.",
  required: ["status", "code", "message"],
  properties: {
    status: { type: "string", enum: ["error"] },
    code: { type: "string" },
    message: { type: "string" },
  },
} as const;

/** Wraps the 200 schema of a route with the error schemas. */
export function responses(ok: object): Record<string, object> {
  return { 200: ok, "4xx": errorResponse, "5xx": errorResponse };
}

export const matching = {
  type: "string",
  enum: KNOWN_MODES,
  default: "exact",
  description: `How names and text are normalized; served: ${STREAMING_MODES.join(", ")}.`,
} as const;

export const lexiconName = { type: "string", minLength: 1, maxLength: 128 } as const;

export const annotation = {
  type: "object",
  required: ["id", "lexicon", "begin", "end", "coveredText", "confidence"],
  properties: {
    id: { type: "string" },
    lexicon: { type: "string" },
    begin: { type: "integer", description: "UTF-16 offset into the text as sent" },
    end: { type: "integer", description: "UTF-16 offset, exclusive" },
    coveredText: { type: "string" },
    confidence: { type: "number" },
    synonym: { type: "string", description: "the entity's name that matched (extension)" },
    matching: { type: "string", description: "the mode that matched (extension)" },
  },
} as const;

export const annotationList = { type: "array", items: annotation } as const;

export const overlaps = {
  type: "string",
  enum: OVERLAP_POLICIES,
  default: "LONGEST_DOMINANT_RIGHT",
} as const;

export const format = { type: "string", enum: FORMATS, default: "text" } as const;

/** The least confidence a match of a chunk mode or of `fuzzy` needs (the engine's default when absent). */
export const threshold = {
  type: "number",
  minimum: 0,
  maximum: 1,
  description:
    "punct, sort, stem, fuzzy: the least confidence a match needs (default 0.8 for fuzzy); ignored by the streaming modes (extension)",
} as const;

export const okStatus = { type: "string", enum: ["ok"] } as const;
