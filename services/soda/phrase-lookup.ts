import type { TagLexicon } from "../../src/annotate/segment.js";
import { similarity } from "../../src/annotate/similarity.js";
import { reverseLookup } from "../../src/fuzzy/index.js";
import { Analyzer } from "../../src/text/analyzer.js";
import { isStreamingMode, type StreamingMode } from "../../src/text/modes.js";
import type { LookupMode } from "./modes.js";

/** An entity whose name normalizes, in some mode, to the same key as a phrase. */
export interface PhraseMatch {
  id: string;
  lexicon: string;
  /** The entity's name that matched. */
  text: string;
  /** 1.0 for `exact`; else `(longer − editDistance) / longer` between the phrase and the name, lower-cased. */
  confidence: number;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && Buffer.compare(a, b) === 0;
}

const analyzers = new Map<StreamingMode, Analyzer>();

/**
 * Reverse lookup: the live entities of `lexicons` with a name whose key in `mode` equals the phrase's,
 * one per (lexicon, entity), best-scoring name first. Cost: one analysis of the phrase and one FST
 * lookup per segment, plus the postings of the key; independent of the lexicon's size.
 * The chunk modes (`punct`, `sort`, `stem`, `fuzzy`) and the reverse-only modes (`lsort`, `s3sort`) go to
 * {@link reverseLookup}. Not thread-safe (analyzers are reused): call it from one thread.
 */
export function lookupPhrase(
  lexicons: readonly TagLexicon[],
  phrase: string,
  mode: LookupMode,
): PhraseMatch[] {
  if (!isStreamingMode(mode)) return reverseLookup(phrase, lexicons, mode);
  let analyzer = analyzers.get(mode);
  if (!analyzer) {
    analyzer = new Analyzer(mode);
    analyzers.set(mode, analyzer);
  }
  const key = analyzer.key(phrase);
  if (key === null) return [];
  const lowerPhrase = phrase.replace(/\s+/g, " ").trim().toLowerCase();
  const out: PhraseMatch[] = [];
  for (const lex of lexicons) {
    const best = new Map<string, PhraseMatch>();
    for (const seg of lex.segments()) {
      const compiled = seg.forMode(mode);
      const ord = compiled.fst.get(key);
      if (ord < 0) continue;
      for (let p = compiled.postStart[ord]; p < compiled.postStart[ord + 1]; p++) {
        const doc = compiled.postEntity[p];
        if (!seg.isLive(doc)) continue;
        const id = seg.entityId(doc);
        const names = seg.entityNames(doc);
        // Postings keep the first synonym with this key; another synonym of the entity may be closer.
        for (const name of names) {
          if (name !== names[compiled.postName[p]] && !sameBytes(analyzer.key(name), key)) continue;
          const confidence = mode === "exact" ? 1 : similarity(lowerPhrase, name.toLowerCase());
          const prev = best.get(id);
          if (!prev || confidence > prev.confidence)
            best.set(id, { id, lexicon: lex.name, text: name, confidence });
        }
      }
    }
    out.push(...[...best.values()].sort((a, b) => b.confidence - a.confidence || (a.id < b.id ? -1 : 1)));
  }
  return out;
}
