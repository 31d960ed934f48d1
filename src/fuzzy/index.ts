/**
 * `src/fuzzy`: the chunk modes (`punct`, `sort`, `stem`: a noun-phrase chunk or a sub-span of one equals a
 * name, normalized), the OCR-tolerant `fuzzy` mode, and reverse lookup (`lsort`, `s3sort` and the chunk
 * modes). Indexes are built per segment on first use from the names of its live docs, and cached in a
 * WeakMap keyed by the segment (segments are immutable; liveness is checked at query time).
 */
import type { Annotation } from "../annotate/annotator.js";
import type { OverlapPolicy } from "../annotate/overlaps.js";
import type { TagLexicon } from "../annotate/segment.js";
import { similarity } from "../annotate/similarity.js";
import { chunkCandidates, chunkText } from "../chunker/chunk.js";
import { fuzzyAnnotate } from "./fuzzy-match.js";
import { keyIndex } from "./key-index.js";
import { type KeyMode, phraseKey, phraseWords } from "./normalize.js";
import { resolveCharOverlaps } from "./span-overlaps.js";

export { DeletionIndex } from "./deletion-index.js";
export {
  type Alt,
  FuzzyIndex,
  type FuzzyStats,
  fuzzyIndex,
  maxTokenEdits,
  TOKEN_STOP,
  TOKEN_SUSPECT,
  type TokenInfo,
} from "./fuzzy-index.js";
export { type FuzzyAnnotation, type FuzzyOptions, fuzzyAnnotate, fuzzyTokens } from "./fuzzy-match.js";
export { KeyIndex, keyIndex } from "./key-index.js";
export { KEY_MODES, type KeyMode, phraseKey, phraseWords, wordsKey } from "./normalize.js";
export { glyphSkeleton, ocrDistance, ocrSimilarity, skeleton, substitutionCost } from "./ocr-distance.js";
export { type OcrNoiseOptions, ocrNoise } from "./ocr-noise.js";
export { type CharSpan, resolveCharOverlaps } from "./span-overlaps.js";
export { TOKENS, TokenTable } from "./token-table.js";

/** Modes that tag a text through the chunker (or, for `fuzzy`, the OCR-tolerant matcher). */
export const CHUNK_MODES = ["punct", "sort", "stem", "fuzzy"] as const;
export type ChunkMode = (typeof CHUNK_MODES)[number];
/** Modes of reverse lookup only. */
export const REVERSE_MODES = ["lsort", "s3sort"] as const;
export type ReverseMode = (typeof REVERSE_MODES)[number];

/** Whether `m` names a chunk mode (a type guard for input validation). */
export function isChunkMode(m: unknown): m is ChunkMode {
  return typeof m === "string" && (CHUNK_MODES as readonly string[]).includes(m);
}

/** Whether `m` names a reverse-lookup-only mode. */
export function isReverseMode(m: unknown): m is ReverseMode {
  return typeof m === "string" && (REVERSE_MODES as readonly string[]).includes(m);
}

/** An annotation of a chunk mode: the {@link Annotation} shape, with `matching` one of {@link CHUNK_MODES}. */
export type ChunkAnnotation = Omit<Annotation, "matching"> & { matching: ChunkMode };

/** Options of {@link annotateChunks}. */
export interface ChunkOptions {
  matching: ChunkMode;
  /** `fuzzy` only: smallest confidence of a match with edits, in [0, 1]. @default 0.8 */
  threshold?: number;
  /** @default "LONGEST_DOMINANT_RIGHT" */
  overlaps?: OverlapPolicy;
}

/**
 * Annotates `text` in a chunk mode. `punct`, `sort`, `stem`: the text is split in sentences, tagged,
 * chunked; each chunk, each sub-span of its words and each "X of Y" join is normalized and looked up
 * whole; confidence is SoDA's `(longer − editDistance) / longer` against the entity's best synonym.
 * `fuzzy`: see {@link fuzzyAnnotate}. Overlaps are resolved per lexicon; offsets index `text`.
 */
export function annotateChunks(
  text: string,
  lexicons: readonly TagLexicon[],
  options: ChunkOptions,
): ChunkAnnotation[] {
  const mode = options.matching;
  const policy = options.overlaps ?? "LONGEST_DOMINANT_RIGHT";
  if (mode === "fuzzy")
    return fuzzyAnnotate(text, lexicons, { threshold: options.threshold, overlaps: policy });
  const cands = chunkCandidates(chunkText(text));
  const keys = cands.map((c) => phraseKey(text.slice(c.begin, c.end), mode));
  const out: ChunkAnnotation[] = [];
  for (const lex of lexicons) {
    const hits: { cand: number; seg: number; post: number }[] = [];
    const segments = lex.segments();
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s];
      const idx = keyIndex(seg, mode);
      for (let c = 0; c < cands.length; c++) {
        const k = keys[c];
        if (k === null) continue;
        for (let p = idx.get(k); p >= 0; p = idx.postNext[p])
          if (seg.isLive(idx.postDoc[p])) hits.push({ cand: c, seg: s, post: p });
      }
    }
    if (hits.length === 0) continue;
    const spanCands = [...new Set(hits.map((h) => h.cand))];
    const kept = new Set(
      resolveCharOverlaps(
        spanCands.map((c) => cands[c]),
        policy,
      ).map((i) => spanCands[i]),
    );
    for (const h of hits) {
      if (!kept.has(h.cand)) continue;
      const c = cands[h.cand];
      const seg = segments[h.seg];
      const idx = keyIndex(seg, mode);
      const doc = idx.postDoc[h.post];
      const names = seg.entityNames(doc);
      const covered = text.slice(c.begin, c.end);
      out.push({
        id: seg.entityId(doc),
        lexicon: lex.name,
        begin: c.begin,
        end: c.end,
        coveredText: covered,
        confidence: bestSimilarity(covered.replace(/\s+/g, " ").toLowerCase(), names),
        synonym: names[idx.postName[h.post]],
        matching: mode,
      });
    }
  }
  out.sort((a, b) => a.begin - b.begin || a.end - b.end);
  return out;
}

function bestSimilarity(lowerCovered: string, names: readonly string[]): number {
  let best = 0;
  for (const n of names) {
    const v = similarity(lowerCovered, n.toLowerCase());
    if (v > best) best = v;
    if (best === 1) break;
  }
  return best;
}

/** One entity of a reverse lookup. */
export interface ReverseMatch {
  id: string;
  lexicon: string;
  /** The entity's name that matched. */
  text: string;
  confidence: number;
}

/**
 * Reverse lookup: the live entities with a name whose key in `mode` equals the phrase's (`lsort`:
 * lower case, words sorted; `s3sort`: also stop words dropped and Porter stems; `punct`, `sort`, `stem` as
 * in tagging), or, for `fuzzy`, the entities the fuzzy matcher finds covering the whole phrase. One per
 * (lexicon, entity), best name first; confidence as in tagging.
 */
export function reverseLookup(
  phrase: string,
  lexicons: readonly TagLexicon[],
  mode: ReverseMode | ChunkMode,
): ReverseMatch[] {
  const out: ReverseMatch[] = [];
  if (mode === "fuzzy") {
    const trimmed = phrase.trim();
    const start = phrase.indexOf(trimmed);
    for (const lex of lexicons) {
      const best = new Map<string, ReverseMatch>();
      for (const a of fuzzyAnnotate(phrase, [lex], { overlaps: "ALL" })) {
        if (a.begin !== start || a.end !== start + trimmed.length) continue;
        const prev = best.get(a.id);
        if (!prev || a.confidence > prev.confidence)
          best.set(a.id, { id: a.id, lexicon: lex.name, text: a.synonym, confidence: a.confidence });
      }
      out.push(...sortMatches(best));
    }
    return out;
  }
  const key = phraseKey(phrase, mode as KeyMode);
  if (key === null) return out;
  const lowerPhrase = phraseWords(phrase).join(" ");
  for (const lex of lexicons) {
    const best = new Map<string, ReverseMatch>();
    for (const seg of lex.segments()) {
      const idx = keyIndex(seg, mode as KeyMode);
      for (let p = idx.get(key); p >= 0; p = idx.postNext[p]) {
        const doc = idx.postDoc[p];
        if (!seg.isLive(doc)) continue;
        const id = seg.entityId(doc);
        for (const name of seg.entityNames(doc)) {
          if (phraseKey(name, mode as KeyMode) !== key) continue;
          const confidence = similarity(lowerPhrase, phraseWords(name).join(" "));
          const prev = best.get(id);
          if (!prev || confidence > prev.confidence)
            best.set(id, { id, lexicon: lex.name, text: name, confidence });
        }
      }
    }
    out.push(...sortMatches(best));
  }
  return out;
}

function sortMatches(best: Map<string, ReverseMatch>): ReverseMatch[] {
  return [...best.values()].sort(
    (a, b) => b.confidence - a.confidence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
