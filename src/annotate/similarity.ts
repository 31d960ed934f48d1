/**
 * SoDA's confidence: `(longer − editDistance) / longer` between two strings, in [0, 1], with the
 * Levenshtein distance over UTF-16 units. Two rows of a reused buffer: no allocation after warm-up.
 * Cost: O(|a| × |b|); used once per annotation and synonym, never per token.
 */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  return (longer - levenshtein(a, b)) / longer;
}

/** Levenshtein distance between `a` and `b` (insertions, deletions, substitutions of UTF-16 units). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (b.length + 1 > rowA.length) {
    rowA = new Int32Array(b.length * 2 + 1);
    rowB = new Int32Array(b.length * 2 + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? Math.min(sub, ins) : Math.min(del, ins);
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}
