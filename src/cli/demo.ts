import { fileURLToPath } from "node:url";
import { loadTsv } from "../../ontologies/tsv.js";
import { FstMap, FstMapBuilder, Levenshtein } from "../fst/index.js";

/** The bundled countries list (ISO 3166-1 from Debian's iso-codes; see ontologies/samples/README.md). */
export const COUNTRIES_TSV = fileURLToPath(
  new URL("../../../ontologies/samples/countries.tsv", import.meta.url),
);

/**
 * `soda demo`: compiles the bundled countries list into an automaton and shows what the engine answers:
 * exact lookups, prefix listing and fuzzy (edit distance) search. The best demonstration until the
 * service exists.
 */
export async function demoCommand(out: (line: string) => void): Promise<number> {
  const ids: string[] = [];
  const pairs: [string, number][] = [];
  for await (const e of loadTsv(COUNTRIES_TSV)) {
    for (const n of e.names) pairs.push([n.toLowerCase(), ids.length]);
    ids.push(e.id);
  }
  const enc = new TextEncoder();
  const unique = new Map(pairs);
  const sorted = Array.from(unique, ([k, v]) => [enc.encode(k), v] as const).sort((a, b) =>
    Buffer.compare(a[0], b[0]),
  );
  const t0 = performance.now();
  const b = new FstMapBuilder();
  for (const [k, v] of sorted) b.insert(k, v);
  const fst = FstMap.load(b.finishBytes());
  const ms = performance.now() - t0;
  out(
    `soda demo: ${ids.length} countries, ${fst.size} names compiled into ${fst.bytes.length} bytes in ${ms.toFixed(1)} ms`,
  );
  out("");
  out("exact lookups:");
  for (const q of ["france", "united kingdom", "korea, republic of", "atlantis"]) {
    const v = fst.get(q);
    out(`  ${JSON.stringify(q)} → ${v === undefined ? "not found" : ids[v]}`);
  }
  out("");
  out('names starting with "united":');
  for (const [k, v] of fst.entries({ prefix: "united" })) out(`  ${k} → ${ids[v]}`);
  out("");
  out("fuzzy search, up to 2 edits (transpositions count as one):");
  for (const q of ["untied kingdom", "swizerland", "new zeland", "viet nam"]) {
    const lev = new Levenshtein(q, { distance: 2, transpositions: true });
    const hits = [...fst.search(lev)].map(([k, v, s]) => `${k} → ${ids[v]} (${lev.distanceOf(s)} edits)`);
    out(`  ${JSON.stringify(q)}: ${hits.length ? hits.join("; ") : "nothing within 2 edits"}`);
  }
  out("");
  out("Next: `soda fst build --input ontologies/samples/countries.tsv --output countries.fst --lower`");
  return 0;
}
