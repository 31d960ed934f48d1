import { posTags } from "./pos.js";
import { type Sentence, sentences, type Token } from "./tokenize.js";

/** A token with its part-of-speech tag (Penn Treebank). */
export interface TaggedToken extends Token {
  tag: string;
}

/** A noun-phrase chunk: tokens `[first, last]` of sentence `sentence`, with character offsets. */
export interface Chunk {
  sentence: number;
  first: number;
  last: number;
  begin: number;
  end: number;
  /** The chunk's tokens, determiner included. */
  tokens: TaggedToken[];
  /** Index in `tokens` of the first token after a leading determiner or possessive pronoun. */
  head: number;
}

/** A span a chunk mode looks up: a chunk, a sub-span of one, or two chunks joined by "of". */
export interface Candidate {
  begin: number;
  end: number;
  /** The word tokens covered. */
  tokens: TaggedToken[];
}

/** The sentences of a text, tagged, and their noun-phrase chunks. */
export interface ChunkedText {
  sentences: (Sentence & { tokens: TaggedToken[] })[];
  chunks: Chunk[];
}

const DETERMINER = /^(DT|PDT|PRP\$|WP\$)$/;
/** Modifiers and nouns a chunk may contain (adjectives, participles, nouns, numbers, foreign words). */
const INNER = /^(JJ|JJR|JJS|VBN|VBG|NN|NNS|NNP|NNPS|CD|FW)$/;
/** Tags that may end a chunk (its head). */
const HEAD = /^(NN|NNS|NNP|NNPS|CD|FW)$/;

/**
 * Tags each sentence and chunks it by the grammar `(DT|PDT|PRP$)? (JJ.*|VBN|VBG|NN.*|CD|FW)* (NN.*|CD|FW)`,
 * longest match from left to right: a maximal run of modifiers and nouns, cut back to its last noun.
 * Punctuation ends a chunk (hyphenated words are one token, so "beta-catenin" stays inside).
 */
export function chunkText(text: string): ChunkedText {
  const sents = sentences(text);
  const out: ChunkedText = { sentences: [], chunks: [] };
  for (let s = 0; s < sents.length; s++) {
    const words = sents[s].tokens.map((t) => t.text);
    const tags = posTags(words);
    const tokens: TaggedToken[] = sents[s].tokens.map((t, i) => ({ ...t, tag: tags[i] }));
    out.sentences.push({ begin: sents[s].begin, end: sents[s].end, tokens });
    let i = 0;
    while (i < tokens.length) {
      const start = i;
      if (DETERMINER.test(tokens[i].tag)) i++;
      const inner = i;
      let lastHead = -1;
      while (i < tokens.length && INNER.test(tokens[i].tag) && isWord(tokens[i].text)) {
        if (HEAD.test(tokens[i].tag)) lastHead = i;
        i++;
      }
      if (lastHead < 0) {
        i = Math.max(i, start + 1);
        continue;
      }
      const toks = tokens.slice(start, lastHead + 1);
      out.chunks.push({
        sentence: s,
        first: start,
        last: lastHead,
        begin: tokens[start].begin,
        end: tokens[lastHead].end,
        tokens: toks,
        head: inner - start,
      });
      i = lastHead + 1;
    }
  }
  return out;
}

function isWord(t: string): boolean {
  return /[\p{L}\p{N}]/u.test(t);
}

/** Options of {@link chunkCandidates}. */
export interface CandidateOptions {
  /** Longest sub-span, in tokens. @default 8 */
  maxTokens?: number;
  /** Also join a chunk, "of" (or "in", "for"), and the next chunk ("anemia of chronic disease"). @default true */
  joinOf?: boolean;
}

const JOINERS = new Set(["of", "in", "for", "to", "with", "on"]);

/**
 * The spans the chunk modes look up: each chunk whole (determiner included), every contiguous sub-span
 * of its words after the determiner ("refractory anemia" and "anemia" inside "his refractory anemia"),
 * and, with `joinOf`, a suffix of a chunk + "of" + a prefix of the next chunk. Distinct spans only,
 * ordered by begin then end. Cost: O(chunk length × maxTokens) per chunk.
 */
export function chunkCandidates(chunked: ChunkedText, options: CandidateOptions = {}): Candidate[] {
  const maxTokens = options.maxTokens ?? 8;
  const joinOf = options.joinOf ?? true;
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const add = (tokens: TaggedToken[]) => {
    if (tokens.length === 0) return;
    const begin = tokens[0].begin;
    const end = tokens[tokens.length - 1].end;
    const k = `${begin}:${end}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ begin, end, tokens });
  };
  const chunks = chunked.chunks;
  for (let c = 0; c < chunks.length; c++) {
    const ch = chunks[c];
    add(ch.tokens);
    const words = ch.tokens.slice(ch.head);
    for (let a = 0; a < words.length; a++)
      for (let b = a; b < words.length && b - a < maxTokens; b++) add(words.slice(a, b + 1));
    if (!joinOf || c + 1 >= chunks.length) continue;
    const next = chunks[c + 1];
    if (next.sentence !== ch.sentence || next.first !== ch.last + 2) continue;
    const joiner = chunked.sentences[ch.sentence].tokens[ch.last + 1];
    if (!JOINERS.has(joiner.text.toLowerCase())) continue;
    const nextWords = next.tokens.slice(next.head);
    for (let a = 0; a < words.length; a++) {
      for (let b = 0; b < nextWords.length; b++) {
        const n = words.length - a + 1 + b + 1;
        if (n > maxTokens) break;
        add([...words.slice(a), joiner, ...nextWords.slice(0, b + 1)]);
      }
    }
  }
  out.sort((x, y) => x.begin - y.begin || x.end - y.end);
  return out;
}
