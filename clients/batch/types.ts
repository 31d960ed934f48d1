/**
 * The SoDA v2 HTTP API as the client sees it on the wire (see docs: design.md, "HTTP contract"). Request
 * fields left out take the service's defaults; responses are what the service's JSON Schemas allow.
 */

import type { TextFormat as EngineTextFormat } from "../../src/text/clean.js";

/** A lexicon, several (extension), or `"*"` for all (extension). */
export type LexiconSelector = string | string[];

export type MatchingMode =
  | "exact"
  | "lower"
  | "stop"
  | "stem1"
  | "stem2"
  | "stem3"
  | "punct"
  | "sort"
  | "stem"
  | "fuzzy"
  | "lsort"
  | "s3sort";

export type OverlapPolicy = "ALL" | "NO_SUB" | "LONGEST_DOMINANT_RIGHT";

/** How the service reads `text` (the engine's own list). */
export type TextFormat = EngineTextFormat;

/** One entity mention; offsets are UTF-16 indices into the text as sent, `end` exclusive. */
export interface Annotation {
  id: string;
  lexicon: string;
  begin: number;
  end: number;
  coveredText: string;
  confidence: number;
  /** The entity's name that matched (extension). */
  synonym?: string;
  /** The mode that matched (extension). */
  matching?: string;
}

/** Options shared by the tagging calls. */
export interface TagOptions {
  /** @default "exact" */
  matching?: MatchingMode;
  /** @default "LONGEST_DOMINANT_RIGHT" */
  overlaps?: OverlapPolicy;
  /** @default "text" */
  format?: TextFormat;
  /** `punct`, `sort`, `stem`, `fuzzy`: the least confidence a match needs (the service's default: 0.8 for fuzzy). */
  threshold?: number;
}

export interface AnnotRequest extends TagOptions {
  lexicon: LexiconSelector;
  text: string;
}

export interface AnnotDocsRequest extends TagOptions {
  lexicon: LexiconSelector;
  docs: { id: string; text: string }[];
}

export interface AnnotResponse {
  status: "ok";
  annotations: Annotation[];
}

export interface AnnotDocsResponse {
  status: "ok";
  docs: { id: string; annotations: Annotation[] }[];
}

export interface AddRequest {
  lexicon: string;
  id?: string;
  names?: string[];
  /** @default true */
  commit?: boolean;
  /** Many entries at once (extension). */
  entries?: { id: string; names: string[] }[];
}

export interface AddResponse {
  status: "ok";
  message: string;
  payload: {
    lexicon?: string;
    id?: string;
    names?: string[];
    commit?: boolean;
    added?: number;
    committed?: number;
  };
}

export interface DeleteRequest {
  lexicon: string;
  /** `"*"` deletes the whole lexicon. */
  id: string;
}

export interface DeleteResponse {
  status: "ok";
  message: string;
  payload: { lexicon?: string; id?: string; deleted?: boolean };
}

export interface StatusResponse {
  status: "ok";
  message: string;
}

export interface DictsResponse {
  status: "ok";
  lexicons: { lexicon: string; count: number; staged?: number }[];
}

export interface CoverageRequest extends TagOptions {
  text: string;
  /** @default "*" */
  lexicon?: LexiconSelector;
}

export interface CoverageResponse {
  status: "ok";
  lexicons: { lexicon: string; count: number; mentions?: number }[];
}

export interface LookupRequest {
  lexicon: string;
  /** `"*"` lists, a page at a time. */
  id: string;
  /** @default 100 */
  limit?: number;
  after?: string;
}

export interface LookupResponse {
  status: "ok";
  entries: { lexicon: string; id: string; names: string[]; attributes?: Record<string, unknown> }[];
  next?: string;
}

export interface RlookupRequest {
  lexicon: LexiconSelector;
  phrase: string;
  matching?: MatchingMode;
}

export interface RlookupResponse {
  status: "ok";
  entries: { id: string; lexicon: string; text: string; confidence: number }[];
}

export interface MatchphraseRequest {
  lexicon: LexiconSelector;
  text: string;
  matching?: MatchingMode;
}

export interface RegexRequest {
  text: string;
  patterns: Record<string, string>;
  /** Any of i, m, s, u. */
  flags?: string;
}

export interface RegexResponse extends AnnotResponse {
  truncated?: boolean;
}
