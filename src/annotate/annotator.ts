import { AnalyzedText, Analyzer } from "../text/analyzer.js";
import { cleanText, type TextFormat } from "../text/clean.js";
import type { StreamingMode } from "../text/modes.js";
import type { Lexicon } from "./lexicon.js";
import { type OverlapPolicy, resolveOverlaps, type Span } from "./overlaps.js";
import { similarity } from "./similarity.js";
import { findMatches, Matches } from "./tagger.js";

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
  matching: StreamingMode;
}

/** Options of one annotation call. */
export interface AnnotateOptions {
  matching: StreamingMode;
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

  /**
   * Annotates `text` against `lexicons` (each resolved as if annotated on its own, results
   * concatenated in the order given). Cost: O(text) for cleaning and analysis, plus the FST walks.
   */
  annotate(text: string, lexicons: readonly Lexicon[], options: AnnotateOptions): Annotation[] {
    const mode = options.matching;
    const policy = options.overlaps ?? "LONGEST_DOMINANT_RIGHT";
    const cleaned = cleanText(text, options.format ?? "text");
    let analyzer = this.analyzers.get(mode);
    if (!analyzer) {
      analyzer = new Analyzer(mode);
      this.analyzers.set(mode, analyzer);
    }
    const t = analyzer.analyze(cleaned.text, this.analyzed);
    const result: Annotation[] = [];
    for (const lex of lexicons) {
      const compiled = lex.forMode(mode);
      const m = this.matches;
      m.reset();
      findMatches(compiled, t, m);
      if (m.count === 0) continue;
      const spans: Span[] = [];
      for (let k = 0; k < m.count; k++) spans.push({ begin: t.begin[m.first[k]], end: t.end[m.last[k]] });
      for (const k of resolveOverlaps(spans, policy)) {
        const b = spans[k].begin;
        const e = spans[k].end;
        const begin = cleaned.from ? cleaned.from[b] : b;
        const end = cleaned.to ? cleaned.to[e - 1] : e;
        const covered = text.slice(begin, end);
        // Whitespace runs and line breaks inside a mention are not edits: compare with single spaces.
        const lowerCovered =
          mode === "exact" ? "" : cleaned.text.slice(b, e).replace(/\s+/g, " ").toLowerCase();
        const key = m.key[k];
        for (let p = compiled.postStart[key]; p < compiled.postStart[key + 1]; p++) {
          const entry = lex.entries[compiled.postEntity[p]];
          let confidence = 1;
          if (mode !== "exact") {
            confidence = 0;
            for (const syn of entry.names) {
              const s = similarity(lowerCovered, syn.toLowerCase());
              if (s > confidence) confidence = s;
            }
          }
          result.push({
            id: entry.id,
            lexicon: lex.name,
            begin,
            end,
            coveredText: covered,
            confidence,
            synonym: entry.names[compiled.postName[p]],
            matching: mode,
          });
        }
      }
    }
    return result;
  }
}
