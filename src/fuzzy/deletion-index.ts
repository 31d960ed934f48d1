/**
 * A SymSpell-style deletion index: every key (with up to `maxDeletes(key.length)` characters deleted) is
 * hashed into a bucketed table of (32-bit hash, key id) pairs. Two strings within `r` edits (insertions,
 * deletions, substitutions, adjacent transpositions) share a string reached by at most `r` deletions
 * from each, so a query probes the hashes of its own deletion neighbourhood and gets a superset of the
 * keys within `r` edits (callers verify with a real distance). Hash collisions only add candidates.
 *
 * Cost: build O(Σ neighbourhood sizes) time and about 9 bytes per (deletion variant, key); a query
 * O(|neighbourhood| × bucket length), independent of the number of keys. Replaces the intersection of
 * a Levenshtein automaton with an FST, whose cost grows with the lexicon (issue #8: 0.4 MB/s at 1M names).
 */
export class DeletionIndex {
  private readonly start: Int32Array;
  /** (hash, key id) pairs, bucket after bucket: one cache line serves a bucket's probe. */
  private readonly pairs: Int32Array;
  private readonly mask: number;
  private buf = new Int32Array(1024);
  /** Hash probes made by queries so far (a test hook: bounded by the query's neighbourhood). */
  probes = 0;

  /**
   * @param keys the strings to index; a key's id is its position.
   * @param maxDeletes how many deletions (0-2) to index for a key of a given length (0: the key only).
   */
  constructor(keys: readonly string[], maxDeletes: (len: number) => number) {
    let total = 0;
    for (const k of keys) total += neighbourhoodSize(k.length, maxDeletes(k.length));
    // About four entries a bucket: a small bucket array, and a probe reads one run of pairs.
    let buckets = 1024;
    while (buckets * 4 < total) buckets *= 2;
    const mask = buckets - 1;
    this.mask = mask;
    const start = new Int32Array(buckets + 1);
    for (const k of keys) {
      const n = this.variants(k, maxDeletes(k.length));
      const buf = this.buf;
      for (let v = 0; v < n; v++) start[(buf[v] & mask) + 1]++;
    }
    for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
    const fill = start.slice(0, buckets);
    const pairs = new Int32Array(start[buckets] * 2);
    for (let id = 0; id < keys.length; id++) {
      const n = this.variants(keys[id], maxDeletes(keys[id].length));
      const buf = this.buf;
      for (let v = 0; v < n; v++) {
        const at = fill[buf[v] & mask]++ * 2;
        pairs[at] = buf[v];
        pairs[at + 1] = id;
      }
    }
    this.start = start;
    this.pairs = pairs;
  }

  /**
   * Appends to `out` the ids of the keys that share a deletion variant with `query` deleted up to
   * `deletes` (0-2) times (possibly with repeats, and with hash-collision false positives).
   */
  query(query: string, deletes: number, out: number[]): number[] {
    const n = this.variants(query, deletes);
    const buf = this.buf;
    const { start, pairs, mask } = this;
    this.probes += n;
    for (let v = 0; v < n; v++) {
      const h = buf[v];
      const b = h & mask;
      const to = start[b + 1] * 2;
      for (let p = start[b] * 2; p < to; p += 2) if (pairs[p] === h) out.push(pairs[p + 1]);
    }
    return out;
  }

  /** Number of (variant, key) entries. */
  get size(): number {
    return this.pairs.length / 2;
  }

  /**
   * Writes into `buf` the hashes of `s` and of each string obtained by deleting up to `d` (≤ 2) of its
   * characters; returns their number. Deleting a character equal to the one before it gives a string
   * already listed, so it is skipped (a few repeats remain; callers tolerate them).
   */
  private variants(s: string, d: number): number {
    const n = s.length;
    const need = neighbourhoodSize(n, d);
    if (this.buf.length < need) this.buf = new Int32Array(need * 2);
    if (pre.length <= n) {
      pre = new Int32Array(n * 2 + 2);
      pow = new Int32Array(n * 2 + 2);
    }
    // Prefix hashes: pre[k] = hash of s[0, k); pow[k] = B^k (mod 2^32).
    pre[0] = 0;
    pow[0] = 1;
    for (let k = 0; k < n; k++) {
      pre[k + 1] = (Math.imul(pre[k], B) + s.charCodeAt(k)) | 0;
      pow[k + 1] = Math.imul(pow[k], B);
    }
    const buf = this.buf;
    let c = 0;
    buf[c++] = finish(pre[n], n);
    if (d < 1) return c;
    for (let i = 0; i < n; i++) {
      if (i > 0 && s.charCodeAt(i) === s.charCodeAt(i - 1)) continue;
      // s without i: s[0, i) · s[i + 1, n)
      const tail = (pre[n] - Math.imul(pre[i + 1], pow[n - i - 1])) | 0;
      buf[c++] = finish((Math.imul(pre[i], pow[n - i - 1]) + tail) | 0, n - 1);
      if (d < 2) continue;
      for (let j = i + 1; j < n; j++) {
        if (j > i + 1 && s.charCodeAt(j) === s.charCodeAt(j - 1)) continue;
        // s[0, i) · s[i + 1, j) · s[j + 1, n)
        const mid = (pre[j] - Math.imul(pre[i + 1], pow[j - i - 1])) | 0;
        const end = (pre[n] - Math.imul(pre[j + 1], pow[n - j - 1])) | 0;
        const xy = (Math.imul(pre[i], pow[j - i - 1]) + mid) | 0;
        buf[c++] = finish((Math.imul(xy, pow[n - j - 1]) + end) | 0, n - 2);
      }
    }
    return c;
  }
}

const B = 0x01000193;
let pre = new Int32Array(64);
let pow = new Int32Array(64);

/** A polynomial hash with its string's length mixed in, finalized (murmur3's fmix32). */
function finish(h: number, len: number): number {
  let x = h ^ Math.imul(len, 0x9e3779b1);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Upper bound of the variants of a string of `len` characters with up to `d` deletions (d ≤ 2). */
function neighbourhoodSize(len: number, d: number): number {
  if (d <= 0 || len === 0) return 1;
  if (d === 1 || len === 1) return 1 + len;
  return 1 + len + (len * (len - 1)) / 2;
}
