/**
 * Data of bench/tagging: dictionaries sampled from the real names, and the texts to tag (the State of
 * the Union addresses, and generated text with planted names). Everything is deterministic (`rng`) and
 * written only under `BENCH_DATA`, never into the repository.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Entry } from "../../src/annotate/lexicon.js";
import { BENCH_DATA, rng } from "../fst/keys.js";

/** One document to tag, with its UTF-8 size (what MB/s counts). */
export interface Doc {
  text: string;
  bytes: number;
}

/** A dictionary of `names` names grouped into entries, and how many of the names are real. */
export interface Dictionary {
  entries: Entry[];
  names: number;
  real: number;
}

function dictFile(n: number): string {
  return join(BENCH_DATA, `tagging-dict-entities-${n}.tsv`);
}

/**
 * Writes (once, cached in `BENCH_DATA`) a dictionary of `n` names, one entry per line
 * (`id<TAB>name<TAB>name…`):
 * - the `id<TAB>name` lines of `names-all.tsv` but the English word list (`word:` ids: dictionary words
 *   are not entity names, and with them nearly every word of a text is a match, so a run would measure
 *   annotation building, not matching) are shuffled (xorshift, seed 42) and the first `n` kept,
 *   then grouped by id (an entity keeps those of its synonyms that were drawn);
 * - above the 3.37M real lines, every real line is kept and the rest is generated: names of two to four
 *   words drawn uniformly from the single-word real names (gene symbols, English words, genera, …),
 *   distinct from each other and from the real names, one entry `gen:<k>` each.
 */
export async function prepareDictionary(n: number): Promise<string> {
  const file = dictFile(n);
  if (existsSync(file)) return file;
  const ids: string[] = [];
  const names: string[] = [];
  const rl = createInterface({
    input: createReadStream(join(BENCH_DATA, "names-all.tsv"), "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) {
    const tab = line.indexOf("\t");
    if (tab <= 0 || tab === line.length - 1 || line.startsWith("word:")) continue;
    ids.push(line.slice(0, tab));
    names.push(line.slice(tab + 1));
  }
  const rand = rng(42);
  const order = Uint32Array.from(ids.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const take = Math.min(n, order.length);
  const byId = new Map<string, string[]>();
  for (let k = 0; k < take; k++) {
    const o = order[k];
    const list = byId.get(ids[o]);
    if (list) list.push(names[o]);
    else byId.set(ids[o], [names[o]]);
  }
  const lines: string[] = [];
  for (const [id, list] of byId) lines.push(`${id}\t${list.join("\t")}`);
  if (n > take) {
    const seen = new Set(names);
    const words = [...new Set(names.filter((w) => !w.includes(" ")))];
    let g = 0;
    while (take + g < n) {
      const k = 2 + Math.floor(rand() * 3);
      const parts: string[] = [];
      for (let i = 0; i < k; i++) parts.push(words[Math.floor(rand() * words.length)]);
      const name = parts.join(" ");
      if (seen.has(name)) continue;
      seen.add(name);
      lines.push(`gen:${g++}\t${name}`);
    }
  }
  writeFileSync(`${file}.tmp`, `${lines.join("\n")}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Loads a dictionary written by {@link prepareDictionary}. */
export function loadDictionary(n: number): Dictionary {
  const text = readFileSync(dictFile(n), "utf8");
  const entries: Entry[] = [];
  let names = 0;
  let real = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const parts = text.slice(start, end).split("\t");
    start = end + 1;
    const id = parts[0];
    const list = parts.slice(1);
    entries.push({ id, names: list });
    names += list.length;
    if (!id.startsWith("gen:")) real += list.length;
  }
  return { entries, names, real };
}

function toDocs(texts: string[]): Doc[] {
  return texts.map((text) => ({ text, bytes: Buffer.byteLength(text, "utf8") }));
}

/** Deterministic in-place shuffle, so that any prefix of the documents is a fair sample. */
function shuffle<T>(a: T[], seed: number): T[] {
  const rand = rng(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The 233 State of the Union addresses, concatenated in file order and cut into documents of 5 to
 * 10 KB at sentence ends (". "), then shuffled (the addresses are single lines).
 */
export function sotuDocs(): Doc[] {
  const dir = join(BENCH_DATA, "sotu");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  const all = files.map((f) => readFileSync(join(dir, f), "utf8").trim()).join("\n\n");
  const rand = rng(11);
  const docs: string[] = [];
  let pos = 0;
  while (pos < all.length) {
    const target = pos + 5000 + Math.floor(rand() * 5000);
    let cut = all.indexOf(". ", target);
    cut = cut < 0 || cut > target + 5000 ? Math.min(all.length, target) : cut + 2;
    docs.push(all.slice(pos, cut));
    pos = cut;
  }
  return shuffle(toDocs(docs), 12);
}

/**
 * Generated documents (5 to 10 KB, `totalBytes` in all): words drawn uniformly from the vocabulary of
 * the dictionary's names (the distinct space-separated words of all names), with whole names of the
 * dictionary planted, as written in it, so that about 10% of the words belong to planted names; a
 * period every 8 to 20 words.
 */
export function generatedDocs(entries: readonly Entry[], totalBytes: number): Doc[] {
  const vocab = new Set<string>();
  for (const e of entries) for (const name of e.names) for (const w of name.split(" ")) if (w) vocab.add(w);
  const words = [...vocab];
  vocab.clear();
  const rand = rng(5);
  const docs: string[] = [];
  let total = 0;
  let wordCount = 0;
  let planted = 0;
  while (total < totalBytes) {
    const size = 5000 + Math.floor(rand() * 5000);
    const parts: string[] = [];
    let len = 0;
    let sentence = 8 + Math.floor(rand() * 13);
    while (len < size) {
      let piece: string;
      if (planted < wordCount * 0.1 && rand() < 0.5) {
        const e = entries[Math.floor(rand() * entries.length)];
        piece = e.names[Math.floor(rand() * e.names.length)];
        const w = piece.split(" ").length;
        planted += w;
        wordCount += w;
      } else {
        piece = words[Math.floor(rand() * words.length)];
        wordCount++;
      }
      if (--sentence === 0) {
        piece += ".";
        sentence = 8 + Math.floor(rand() * 13);
      }
      parts.push(piece);
      len += piece.length + 1;
    }
    const doc = parts.join(" ");
    docs.push(doc);
    total += Buffer.byteLength(doc, "utf8");
  }
  return toDocs(docs);
}
