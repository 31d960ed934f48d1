/**
 * The naive baseline of bench/tagging: what one writes without an automaton. Names and text are
 * tokenized with one regex (runs of letters, digits and marks, an apostrophe kept inside a word) and
 * lower-cased; names go into a `Map` from their tokens joined by a space to the number of entries
 * bearing them; the text is searched by looking up every n-gram of tokens, n = 1 … the longest name in
 * tokens, from every token. Roughly soda's `lower` mode without ASCII folding or possessive removal.
 *
 * `pruned` is the usual first fix: every token prefix of a name goes into the map too (with 0 entries),
 * and the n-grams from a token stop at the first one that is no prefix (a trie in a hash map).
 */
import type { Entry } from "../../src/annotate/lexicon.js";

const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

export class NaiveMatcher {
  readonly map = new Map<string, number>();
  /** The longest name, in tokens: how many n-grams are looked up per token of text. */
  readonly maxTokens: number;

  readonly pruned: boolean;

  constructor(entries: readonly Entry[], pruned = false) {
    this.pruned = pruned;
    let max = 0;
    for (const e of entries) {
      for (const name of e.names) {
        const toks = name.toLowerCase().match(TOKEN);
        if (!toks) continue;
        if (toks.length > max) max = toks.length;
        const key = toks.join(" ");
        this.map.set(key, (this.map.get(key) ?? 0) + 1);
        if (pruned) {
          let prefix = toks[0];
          for (let i = 1; i < toks.length; i++) {
            if (!this.map.has(prefix)) this.map.set(prefix, 0);
            prefix = `${prefix} ${toks[i]}`;
          }
        }
      }
    }
    this.maxTokens = max;
  }

  /** Number of (span, distinct name key) hits in `text`, all overlapping spans included. */
  count(text: string): number {
    const toks = text.toLowerCase().match(TOKEN);
    if (!toks) return 0;
    const map = this.map;
    const n = toks.length;
    let hits = 0;
    if (this.pruned) {
      for (let i = 0; i < n; i++) {
        let key = toks[i];
        let v = map.get(key);
        for (let j = i + 1; v !== undefined; j++) {
          if (v > 0) hits++;
          if (j === n) break;
          key = `${key} ${toks[j]}`;
          v = map.get(key);
        }
      }
      return hits;
    }
    for (let i = 0; i < n; i++) {
      let key = toks[i];
      if (map.has(key)) hits++;
      const stop = Math.min(n, i + this.maxTokens);
      for (let j = i + 1; j < stop; j++) {
        key = `${key} ${toks[j]}`;
        if (map.has(key)) hits++;
      }
    }
    return hits;
  }
}
