/**
 * Matching modes: how names and text are normalized before they meet (see the design's mode table).
 * The streaming modes walk the automaton token by token; the chunk modes (`punct`, `sort`, `stem`,
 * `fuzzy`) and the reverse-lookup modes (`lsort`, `s3sort`) come with the chunker.
 */
export const STREAMING_MODES = ["exact", "lower", "stop", "stem1", "stem2", "stem3"] as const;

/** A mode the streaming tagger implements. */
export type StreamingMode = (typeof STREAMING_MODES)[number];

/** Whether `m` names a streaming mode (a type guard for input validation). */
export function isStreamingMode(m: unknown): m is StreamingMode {
  return typeof m === "string" && (STREAMING_MODES as readonly string[]).includes(m);
}

/** What each mode does to a token after tokenization, in order. */
export interface ModeSteps {
  /** Lower-case (after ASCII folding and possessive removal, which every mode applies). */
  lower: boolean;
  /** Drop Lucene's 33 English stop words. */
  stop: boolean;
  /** Stemmer applied last. */
  stem: "none" | "minimal" | "krovetz" | "porter";
}

/** The chain of each streaming mode. */
export const MODE_STEPS: Readonly<Record<StreamingMode, ModeSteps>> = Object.freeze({
  exact: { lower: false, stop: false, stem: "none" },
  lower: { lower: true, stop: false, stem: "none" },
  stop: { lower: true, stop: true, stem: "none" },
  stem1: { lower: true, stop: true, stem: "minimal" },
  stem2: { lower: true, stop: true, stem: "krovetz" },
  stem3: { lower: true, stop: true, stem: "porter" },
});
