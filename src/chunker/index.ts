/**
 * `src/chunker`: sentences, tokens with UTF-16 offsets, part-of-speech tags (natural's Brill tagger) and
 * noun-phrase chunks, with the sub-spans of each chunk as lookup candidates for the chunk modes.
 */
export {
  type Candidate,
  type CandidateOptions,
  type Chunk,
  type ChunkedText,
  chunkCandidates,
  chunkText,
  type TaggedToken,
} from "./chunk.js";
export { isEnglishWord, posTags } from "./pos.js";
export { type Sentence, sentences, type Token, tokenize } from "./tokenize.js";
