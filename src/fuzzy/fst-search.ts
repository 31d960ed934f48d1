import { NodeView, type RawFst } from "../fst/index.js";

/**
 * Values of the keys of `fst` within `k` edits (insertions, deletions, substitutions and adjacent
 * transpositions of bytes) of `query`: a depth-first intersection of the automaton with the Levenshtein
 * automaton of the query, one row of the edit table per depth in a preallocated table (no allocation per
 * step), pruned as soon as a row exceeds `k`. Bytes, not code points: meant for ASCII keys (skeletons).
 * Cost: the FST nodes within distance `k` of a prefix of the query, never the whole key set.
 */
export class FstLevenshtein {
  private rows = new Int32Array(0);
  private labels = new Int32Array(0);
  private views: NodeView[] = [];
  private q = new Uint8Array(0);
  private m = 0;
  private k = 0;
  private out: number[] = [];
  private fst!: RawFst;
  /** Nodes visited by the last searches (a test hook: stays far below the key count). */
  visited = 0;

  search(fst: RawFst, query: string, k: number, out: number[] = []): number[] {
    this.fst = fst;
    const q = Buffer.from(query, "utf8");
    this.q = q;
    const m = q.length;
    this.m = m;
    this.k = k;
    this.out = out;
    const depth = m + k + 1;
    if (this.rows.length < (depth + 1) * (m + 1)) this.rows = new Int32Array((depth + 1) * (m + 1) * 2);
    if (this.labels.length < depth + 1) this.labels = new Int32Array((depth + 1) * 2);
    while (this.views.length < depth + 1) this.views.push(new NodeView());
    for (let j = 0; j <= m; j++) this.rows[j] = j;
    this.walk(fst.root, 0, 0);
    return out;
  }

  private walk(address: number, depth: number, output: number): void {
    this.visited++;
    const m = this.m;
    const W = m + 1;
    const k = this.k;
    const rows = this.rows;
    const node = this.fst.node(address, this.views[depth]);
    const base = depth * W;
    if (node.isFinal && rows[base + m] <= k) this.out.push(output + node.finalOutput);
    if (depth >= m + k) return;
    const q = this.q;
    const next = base + W;
    const n = node.numTransitions;
    for (let i = 0; i < n; i++) {
      const b = node.label(i);
      rows[next] = rows[base] + 1;
      let min = rows[next];
      for (let j = 1; j <= m; j++) {
        let v = rows[base + j - 1] + (q[j - 1] === b ? 0 : 1);
        const del = rows[base + j] + 1;
        if (del < v) v = del;
        const ins = rows[next + j - 1] + 1;
        if (ins < v) v = ins;
        if (depth > 0 && j > 1 && q[j - 1] === this.labels[depth - 1] && q[j - 2] === b) {
          const t = rows[base - W + j - 2] + 1;
          if (t < v) v = t;
        }
        rows[next + j] = v;
        if (v < min) min = v;
      }
      if (min > k) continue;
      this.labels[depth] = b;
      const target = node.target(i);
      const out = node.output(i);
      this.walk(target, depth + 1, output + out);
      // The recursive call reloaded deeper views only; this depth's view is intact.
    }
  }
}
