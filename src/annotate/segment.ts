import type { StreamingMode } from "../text/modes.js";
import type { CompiledLexicon } from "./lexicon.js";

/**
 * A part of a lexicon the tagger can search: a set of entities ("docs", numbered from 0) with their
 * names, compiled per mode. An in-memory {@link Lexicon} is one segment; a stored lexicon is the list of
 * its live segment files, where an updated or deleted entity is a dead doc of an older segment.
 */
export interface TagSegment {
  /** Number of docs (live or dead): doc numbers run from 0 to docs − 1. */
  readonly docs: number;
  /** The segment compiled for `mode` (postings hold doc numbers), compiled or loaded on first use. */
  forMode(mode: StreamingMode): CompiledLexicon;
  /** Id of doc `doc`. */
  entityId(doc: number): string;
  /** Names of doc `doc`, in the order given when it was added. */
  entityNames(doc: number): readonly string[];
  /** False when the doc was deleted or replaced by a newer segment. */
  isLive(doc: number): boolean;
  /** True when every doc is live for good (an in-memory lexicon): the tagger need not ask. */
  readonly alwaysLive?: boolean;
}

/** A named lexicon as the annotator sees it: its live segments, oldest first. */
export interface TagLexicon {
  readonly name: string;
  segments(): readonly TagSegment[];
}
