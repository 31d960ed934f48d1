import { annotateChunks, type ChunkMode, isChunkMode } from "../fuzzy/index.js";
import { AnalyzedText, Analyzer } from "../text/analyzer.js";
import { type CleanedText, cleanText, type TextFormat } from "../text/clean.js";
import type { StreamingMode } from "../text/modes.js";
import { growUint8 } from "../util/grow.js";
import type { CompiledLexicon } from "./lexicon.js";
import { type OverlapPolicy, resolveOverlaps } from "./overlaps.js";
import type { TagLexicon, TagSegment } from "./segment.js";
import { similarity } from "./similarity.js";
import { findMatches, Matches } from "./tagger.js";

/** Every mode the annotator serves: the streaming walks and the chunk modes (`punct` … `fuzzy`). */
export type MatchingMode = StreamingMode | ChunkMode;

/** One entity mention. Offsets are UTF-16 indices into the text as the caller sent it, `end` exclusive. */
export interface Annotation {
  id: string;
  lexicon: string;
  begin: number;
  end: number;
  /** `text.slice(begin, end)` of the caller's text. */
  coveredText: string;
  /** 1.0 for `exact`; else the best `(longer − editDistance) / longer` over the entity's synonyms. */
  confidence: number;
  /** The synonym of the entity whose normalized form matched. */
  synonym: string;
  /** The mode that matched. */
  matching: MatchingMode;
}

/** Options of one annotation call. */
export interface AnnotateOptions {
  matching: MatchingMode;
  /** Chunk modes: the least confidence a match needs (`fuzzy` defaults to 0.8). */
  threshold?: number;
  /** @default "LONGEST_DOMINANT_RIGHT" */
  overlaps?: OverlapPolicy;
  /** @default "text" */
  format?: TextFormat;
}

/**
 * The in-process engine: cleans a text, analyzes it once per mode, tags it against each lexicon,
 * resolves overlaps per lexicon, and builds annotations with offsets into the caller's text.
 * Reuses its buffers between calls, so one Annotator serves one thread (make one per worker).
 */
export class Annotator {
  private readonly analyzers = new Map<StreamingMode, Analyzer>();
  private readonly analyzed = new AnalyzedText();
  private readonly matches = new Matches();
  private readonly spans = new Matches();
  /** Names of recently annotated entities, decoded and lower-cased once (bounded per segment). */
  private readonly names = new WeakMap<
    TagSegment,
    Map<number, { names: readonly string[]; lower: string[] }>
  >();

  private namesOf(seg: TagSegment, doc: number): { names: readonly string[]; lower: string[] } {
    let cache = this.names.get(seg);
    if (!cache) {
      cache = new Map();
      this.names.set(seg, cache);
    }
    let hit = cache.get(doc);
    if (!hit) {
      if (cache.size >= 65_536) cache.clear();
      const names = seg.entityNames(doc);
      hit = { names, lower: names.map((n) => n.toLowerCase()) };
      cache.set(doc, hit);
    }
    return hit;
  }

  /** Per compiled segment, the decoded postings of recently matched keys (bounded). */
  private readonly keys = new WeakMap<CompiledLexicon, Map<number, KeyInfo>>();

  /** The decoded-postings cache of one compiled segment (looked up once per annotate call, not per span). */
  private cacheOf(compiled: CompiledLexicon): Map<number, KeyInfo> {
    let cache = this.keys.get(compiled);
    if (!cache) {
      cache = new Map();
      this.keys.set(compiled, cache);
    }
    return cache;
  }

  /** The postings of `key` with ids, synonyms and lower-cased names decoded once. */
  private keyInfo(
    seg: TagSegment,
    compiled: CompiledLexicon,
    cache: Map<number, KeyInfo>,
    key: number,
  ): KeyInfo {
    let info = cache.get(key);
    if (!info) {
      if (cache.size >= 65_536) cache.clear();
      const from = compiled.postStart[key];
      const to = compiled.postStart[key + 1];
      info = {
        docs: [],
        ids: [],
        synonyms: [],
        lowers: [],
        covered: null,
        confidence: [],
        covered2: null,
        confidence2: [],
        lexicon: null,
        heads: [],
        tails: [],
        tails2: [],
      };
      for (let p = from; p < to; p++) {
        const doc = compiled.postEntity[p];
        const { names, lower } = this.namesOf(seg, doc);
        info.docs.push(doc);
        info.ids.push(seg.entityId(doc));
        info.synonyms.push(names[compiled.postName[p]]);
        info.lowers.push(lower);
        info.confidence.push(0);
        info.confidence2.push(0);
        info.heads.push(null);
        info.tails.push(null);
        info.tails2.push(null);
      }
      cache.set(key, info);
    }
    return info;
  }

  /** Appends the annotations of candidate (key, tokens first..last): one per live entity of the key. */
  private emit(
    result: Annotation[],
    text: string,
    cleaned: CleanedText,
    t: AnalyzedText,
    lexicon: string,
    seg: TagSegment,
    compiled: CompiledLexicon,
    cache: Map<number, KeyInfo>,
    mode: StreamingMode,
    key: number,
    first: number,
    last: number,
  ): void {
    const b = t.begin[first];
    const e = t.end[last];
    const begin = cleaned.from ? cleaned.from[b] : b;
    const end = cleaned.to ? cleaned.to[e - 1] : e;
    const covered = text.slice(begin, end);
    const info = this.keyInfo(seg, compiled, cache, key);
    if (mode !== "exact") {
      const raw = cleaned.from === null ? covered : cleaned.text.slice(b, e);
      // (The usual case, the key's last covered text again, tested here: no call.)
      if (raw !== info.covered) updateConfidence(info, raw, first !== last);
    }
    for (let d = 0; d < info.docs.length; d++) {
      if (!seg.isLive(info.docs[d])) continue;
      result.push({
        id: info.ids[d],
        lexicon,
        begin,
        end,
        coveredText: covered,
        confidence: mode === "exact" ? 1 : info.confidence[d],
        synonym: info.synonyms[d],
        matching: mode,
      });
    }
  }

  /**
   * {@link emit} as JSON: appends to `out` the JSON text of the candidate's annotations (each preceded
   * by a comma but the document's first), the bytes `JSON.stringify` of the annotation objects gives,
   * from pieces cached per key (an entity's `{"id":…`, the covered text, an entity's confidence and
   * synonym). Returns the number of annotations written.
   */
  private emitJson(
    out: JsonBytes,
    text: string,
    cleaned: CleanedText,
    t: AnalyzedText,
    lexicon: string,
    seg: TagSegment,
    compiled: CompiledLexicon,
    cache: Map<number, KeyInfo>,
    mode: StreamingMode,
    key: number,
    first: number,
    last: number,
  ): number {
    const b = t.begin[first];
    const e = t.end[last];
    const begin = cleaned.from ? cleaned.from[b] : b;
    const end = cleaned.to ? cleaned.to[e - 1] : e;
    const info = this.keyInfo(seg, compiled, cache, key);
    if (info.lexicon !== lexicon) {
      // The heads name the lexicon: made again if this segment is tagged under another name.
      info.lexicon = lexicon;
      info.heads.fill(null);
    }
    // The covered text's JSON is in the tails, cached with the key's covered text (its slot); with
    // offsets mapped into markup the covered text is not the cleaned one, and its JSON is made here.
    let fresh: string | null = null;
    if (cleaned.from !== null) {
      if (mode !== "exact") updateConfidence(info, cleaned.text.slice(b, e), first !== last);
      fresh = `,"coveredText":${JSON.stringify(text.slice(begin, end))}`;
    } else if (mode !== "exact") {
      if (!sameText(text, begin, end, info.covered))
        updateConfidence(info, text.slice(begin, end), first !== last);
    } else if (!sameText(text, begin, end, info.covered)) {
      info.covered = text.slice(begin, end);
      info.tails.fill(null);
    }
    let n = 0;
    for (let d = 0; d < info.docs.length; d++) {
      if (!seg.isLive(info.docs[d])) continue;
      let tail = fresh === null ? info.tails[d] : null;
      if (tail === null) {
        const confidence = mode === "exact" ? 1 : info.confidence[d];
        const synonym = info.synonyms[d];
        tail = utf8(
          `${fresh ?? `,"coveredText":${JSON.stringify(info.covered)}`},"confidence":${JSON.stringify(confidence)}${synonym === undefined ? "" : `,"synonym":${JSON.stringify(synonym)}`},"matching":${JSON.stringify(mode)}}`,
        );
        if (fresh === null) info.tails[d] = tail;
      }
      let head = info.heads[d];
      if (head === null) {
        head = utf8(`{"id":${JSON.stringify(info.ids[d])},"lexicon":${JSON.stringify(lexicon)},"begin":`);
        info.heads[d] = head;
      }
      let p = out.room(head.length + tail.length + 30);
      const bytes = out.bytes;
      if (out.items++ > 0) bytes[p++] = 0x2c;
      bytes.set(head, p);
      p = putInt(bytes, p + head.length, begin);
      // ,"end":
      bytes[p] = 0x2c;
      bytes[p + 1] = 0x22;
      bytes[p + 2] = 0x65;
      bytes[p + 3] = 0x6e;
      bytes[p + 4] = 0x64;
      bytes[p + 5] = 0x22;
      bytes[p + 6] = 0x3a;
      p = putInt(bytes, p + 7, end);
      bytes.set(tail, p);
      out.length = p + tail.length;
      n++;
    }
    return n;
  }

  /**
   * Annotates `text` against `lexicons` (each resolved as if annotated on its own, results
   * concatenated in the order given). Cost: O(text) for cleaning and analysis, plus the FST walks.
   */
  annotate(text: string, lexicons: readonly TagLexicon[], options: AnnotateOptions): Annotation[] {
    const result: Annotation[] = [];
    if (isChunkMode(options.matching)) return this.annotateChunkMode(text, lexicons, options);
    this.run(text, lexicons, options, result, null);
    return result;
  }

  /**
   * {@link annotate}, written to `out` as the JSON text of the array of annotations (the bytes of
   * `JSON.stringify(annotate(…))`, UTF-8), without making the annotation objects in the streaming
   * modes. Appends to `out` (reset it first for a buffer of one document). Returns the number of
   * annotations.
   */
  annotateJson(
    text: string,
    lexicons: readonly TagLexicon[],
    options: AnnotateOptions,
    out: JsonBytes,
  ): number {
    if (isChunkMode(options.matching)) {
      const annotations = this.annotateChunkMode(text, lexicons, options);
      out.append(JSON.stringify(annotations));
      return annotations.length;
    }
    out.items = 0;
    let p = out.room(1);
    out.bytes[p++] = 0x5b;
    out.length = p;
    const n = this.run(text, lexicons, options, null, out);
    p = out.room(1);
    out.bytes[p++] = 0x5d;
    out.length = p;
    return n;
  }

  private annotateChunkMode(
    text: string,
    lexicons: readonly TagLexicon[],
    options: AnnotateOptions,
  ): Annotation[] {
    const policy = options.overlaps ?? "LONGEST_DOMINANT_RIGHT";
    const cleaned = cleanText(text, options.format ?? "text");
    // Chunk modes match whole noun phrases (or, for fuzzy, token windows) of the cleaned text.
    return annotateChunks(cleaned.text, lexicons, {
      matching: options.matching as ChunkMode,
      overlaps: policy,
      threshold: options.threshold,
    }).map((a) => {
      const begin = cleaned.from ? cleaned.from[a.begin] : a.begin;
      const end = cleaned.to ? cleaned.to[a.end - 1] : a.end;
      return { ...a, begin, end, coveredText: text.slice(begin, end) };
    });
  }

  /**
   * The streaming modes: the annotations appended to `result`, or (when it is null) their JSON to
   * `json`. Returns how many.
   */
  private run(
    text: string,
    lexicons: readonly TagLexicon[],
    options: AnnotateOptions,
    result: Annotation[] | null,
    json: JsonBytes | null,
  ): number {
    const policy = options.overlaps ?? "LONGEST_DOMINANT_RIGHT";
    const cleaned = cleanText(text, options.format ?? "text");
    const mode = options.matching as StreamingMode;
    let analyzer = this.analyzers.get(mode);
    if (!analyzer) {
      analyzer = new Analyzer(mode);
      this.analyzers.set(mode, analyzer);
    }
    const t = analyzer.analyze(cleaned.text, this.analyzed);
    let count = 0;
    const m = this.matches;
    for (const lex of lexicons) {
      const segments = lex.segments();
      m.reset();
      for (let s = 0; s < segments.length; s++) {
        const before = m.count;
        const seg = segments[s];
        const compiled = seg.forMode(mode);
        findMatches(compiled, t, m, s);
        if (seg.alwaysLive === true) continue;
        // Drop candidates whose entities are all dead (deleted or replaced in a newer segment), so a
        // stale name never dominates a live one in overlap resolution.
        let w = before;
        for (let k = before; k < m.count; k++) {
          const key = m.key[k];
          let live = false;
          for (let p = compiled.postStart[key]; p < compiled.postStart[key + 1] && !live; p++)
            live = seg.isLive(compiled.postEntity[p]);
          if (!live) continue;
          m.first[w] = m.first[k];
          m.last[w] = m.last[k];
          m.key[w] = m.key[k];
          m.seg[w] = m.seg[k];
          w++;
        }
        m.count = w;
      }
      if (m.count === 0) continue;
      if (segments.length === 1) {
        // One segment: candidates are distinct spans already in position order (findMatches emits
        // them so), and each kept span is one candidate.
        const seg = segments[0];
        const compiled = seg.forMode(mode);
        const cache = this.cacheOf(compiled);
        for (const k of resolveOverlaps(m, policy, t.begin, t.end))
          if (json !== null)
            count += this.emitJson(
              json,
              text,
              cleaned,
              t,
              lex.name,
              seg,
              compiled,
              cache,
              mode,
              m.key[k],
              m.first[k],
              m.last[k],
            );
          else
            this.emit(
              result!,
              text,
              cleaned,
              t,
              lex.name,
              seg,
              compiled,
              cache,
              mode,
              m.key[k],
              m.first[k],
              m.last[k],
            );
        continue;
      }
      // Segments can match the same tokens: resolve overlaps on distinct spans, then keep every
      // candidate of a kept span.
      const order = Int32Array.from({ length: m.count }, (_, k) => k).sort(
        (a, b) => m.first[a] - m.first[b] || m.last[a] - m.last[b] || m.seg[a] - m.seg[b],
      );
      const spans = this.spans;
      spans.count = 0;
      const spanOf = new Int32Array(m.count);
      for (const k of order) {
        const n = spans.count;
        if (n === 0 || spans.first[n - 1] !== m.first[k] || spans.last[n - 1] !== m.last[k])
          spans.push(m.first[k], m.last[k], 0, 0);
        spanOf[k] = spans.count - 1;
      }
      const kept = new Uint8Array(spans.count);
      for (const sp of resolveOverlaps(spans, policy, t.begin, t.end)) kept[sp] = 1;
      const compiled = segments.map((seg) => seg.forMode(mode));
      const caches = compiled.map((c) => this.cacheOf(c));
      for (const k of order) {
        if (!kept[spanOf[k]]) continue;
        if (json !== null)
          count += this.emitJson(
            json,
            text,
            cleaned,
            t,
            lex.name,
            segments[m.seg[k]],
            compiled[m.seg[k]],
            caches[m.seg[k]],
            mode,
            m.key[k],
            m.first[k],
            m.last[k],
          );
        else
          this.emit(
            result!,
            text,
            cleaned,
            t,
            lex.name,
            segments[m.seg[k]],
            compiled[m.seg[k]],
            caches[m.seg[k]],
            mode,
            m.key[k],
            m.first[k],
            m.last[k],
          );
      }
    }
    return result === null ? count : result.length;
  }
}

/**
 * The postings of one key, decoded: entity (doc) numbers, ids, matched synonyms and each entity's
 * lower-cased names; `confidence[d]` is entity d's confidence for the covered text `covered` of the
 * cleaned text, as found (the last one seen: a key's mentions repeat, so it is usually computed once),
 * and `confidence2[d]` for `covered2`, the one before (null: none yet). At 1M names in lower, every
 * recomputation with one text kept was of a text seen before (2,290 per MB of SOTU).
 */
interface KeyInfo {
  docs: number[];
  ids: string[];
  synonyms: string[];
  lowers: string[][];
  covered: string | null;
  confidence: number[];
  covered2: string | null;
  confidence2: number[];
  /** JSON output: the lexicon name in `heads`, and each entity's `{"id":…,"lexicon":…,"begin":` (null: not made yet). */
  lexicon: string | null;
  heads: (Uint8Array | null)[];
  /**
   * JSON output: each entity's `,"coveredText":…,"confidence":…}` for `covered` (exact: the last
   * covered text), null when not made yet; `tails2` the same for `covered2`.
   */
  tails: (Uint8Array | null)[];
  tails2: (Uint8Array | null)[];
}

/**
 * Makes `raw` (a covered text of the cleaned text) the key's current covered text, its confidences in
 * `info.confidence`: the two last covered texts are kept, the last one first. A key is usually mentioned
 * in two forms ("Cancer" and "cancer", "state" and "states"), so a switch between them is a swap; only a
 * text that is neither computes its confidences again. `multi`: the mention spans several tokens.
 */
function updateConfidence(info: KeyInfo, raw: string, multi: boolean): void {
  if (raw === info.covered) return;
  const confidence = info.confidence2;
  info.confidence2 = info.confidence;
  info.confidence = confidence;
  const tails = info.tails2;
  info.tails2 = info.tails;
  info.tails = tails;
  const older = info.covered2;
  info.covered2 = info.covered;
  info.covered = raw;
  if (raw !== older) {
    // Whitespace runs and line breaks inside a mention are not edits: compare with single spaces.
    let lower = multi ? raw.replace(/\s+/g, " ") : raw;
    lower = lower.toLowerCase();
    for (let d = 0; d < info.docs.length; d++) confidence[d] = bestSimilarity(lower, info.lowers[d]);
    tails.fill(null);
  }
}

/**
 * A growable byte buffer that {@link Annotator.annotateJson} writes the JSON text of annotations into
 * (UTF-8). `items` counts the values written into the array being written (for the commas).
 */
export class JsonBytes {
  bytes: Uint8Array = new Uint8Array(1 << 16);
  length = 0;
  items = 0;

  /** Empties the buffer. */
  reset(): void {
    this.length = 0;
    this.items = 0;
  }

  /** Makes room for `n` more bytes; returns the offset to write them at (`length`). */
  room(n: number): number {
    if (this.length + n > this.bytes.length)
      this.bytes = growUint8(this.bytes, Math.max(this.bytes.length * 2, this.length + n));
    return this.length;
  }

  /** Appends a string, UTF-8 encoded. */
  append(s: string): void {
    const b = utf8(s);
    const p = this.room(b.length);
    this.bytes.set(b, p);
    this.length = p + b.length;
  }
}

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** Whether `text.slice(begin, end)` equals `s` (compared in place: no string made). */
function sameText(text: string, begin: number, end: number, s: string | null): boolean {
  if (s === null || s.length !== end - begin) return false;
  for (let i = 0; i < s.length; i++) if (text.charCodeAt(begin + i) !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Writes the decimal digits of the non-negative integer `n` (below 2^31: a UTF-16 offset) into `dst`
 * at `p`; returns the end. The digits are counted by comparisons and divided out in int32 (a multiply,
 * not a floating-point division).
 */
function putInt(dst: Uint8Array, p: number, n: number): number {
  const digits =
    n < 10
      ? 1
      : n < 100
        ? 2
        : n < 1000
          ? 3
          : n < 10_000
            ? 4
            : n < 100_000
              ? 5
              : n < 1_000_000
                ? 6
                : n < 10_000_000
                  ? 7
                  : n < 100_000_000
                    ? 8
                    : n < 1_000_000_000
                      ? 9
                      : 10;
  let v = n | 0;
  for (let q = p + digits - 1; q > p; q--) {
    const w = (v / 10) | 0;
    dst[q] = 48 + v - w * 10;
    v = w;
  }
  dst[p] = 48 + v;
  return p + digits;
}

/**
 * SoDA's confidence: the best `(longer − distance) / longer` between the covered text and a synonym,
 * both lower-cased. An exact synonym ends the search; a synonym whose length difference alone rules out
 * beating the best so far is skipped without computing its distance.
 */
function bestSimilarity(covered: string, synonyms: readonly string[]): number {
  for (const s of synonyms) if (s === covered) return 1;
  let best = 0;
  for (const s of synonyms) {
    const longer = Math.max(s.length, covered.length);
    if (longer === 0 || (longer - Math.abs(s.length - covered.length)) / longer <= best) continue;
    const v = similarity(covered, s);
    if (v > best) best = v;
  }
  return best;
}
