/** Whitespace-normalized text: runs of whitespace become one space, ends trimmed. */
export function normalizeWhitespace(s: string): string {
  return s.replace(/\s+/gu, " ").trim();
}

/** Levenshtein distance between the code points of `a` and `b` (two rows, O(|a|·|b|) time). */
export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/**
 * Character error rate of `hypothesis` against `reference`: edit distance over characters divided by
 * the reference's length, both whitespace-normalized ({@link normalizeWhitespace}).
 */
export function cer(reference: string, hypothesis: string): number {
  const r = normalizeWhitespace(reference);
  const h = normalizeWhitespace(hypothesis);
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : levenshtein(r, h) / [...r].length;
}
