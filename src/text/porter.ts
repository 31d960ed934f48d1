import { createRequire } from "node:module";

// natural's index costs about 1 s and 160 MB and reads a .env file (stack.md): load the stemmer alone.
const require = createRequire(import.meta.url);
const porter = require("natural/lib/natural/stemmers/porter_stemmer.js") as { stem(word: string): string };

/** Porter's stemmer (natural's implementation), on a lower-cased word. Allocates; callers memoize. */
export function porterStem(word: string): string {
  return porter.stem(word);
}
