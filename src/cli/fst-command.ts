import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadTsv } from "../../ontologies/tsv.js";
import { FstMap, FstMapBuilder, Levenshtein } from "../fst/index.js";

const USAGE = `usage:
  soda fst build --input NAMES.tsv --output FILE.fst [--lower]
      keys are the names of a TSV file (id<TAB>name|name); each maps to the line's ordinal
  soda fst get FILE.fst KEY...
  soda fst list FILE.fst [--prefix P] [--gte K] [--lt K] [--limit N]
  soda fst fuzzy FILE.fst QUERY [--distance 1|2] [--transpositions]`;

/** `soda fst …`: build, inspect and query automaton files. Returns the process exit code. */
export async function fstCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      input: { type: "string" },
      output: { type: "string" },
      lower: { type: "boolean", default: false },
      prefix: { type: "string" },
      gte: { type: "string" },
      lt: { type: "string" },
      limit: { type: "string", default: "50" },
      distance: { type: "string", default: "1" },
      transpositions: { type: "boolean", default: false },
    },
  });
  switch (sub) {
    case "build": {
      if (!values.input || !values.output) break;
      const started = performance.now();
      const keys = new Map<string, number>();
      let ordinal = 0;
      for await (const e of loadTsv(values.input)) {
        for (const n of e.names) {
          const k = values.lower ? n.toLowerCase() : n;
          if (!keys.has(k)) keys.set(k, ordinal);
        }
        ordinal++;
      }
      const enc = new TextEncoder();
      const sorted = Array.from(keys, ([k, v]) => [enc.encode(k), v] as const).sort((a, b) =>
        Buffer.compare(a[0], b[0]),
      );
      const b = new FstMapBuilder();
      for (const [k, v] of sorted) b.insert(k, v);
      const bytes = b.finishBytes();
      await writeFile(values.output, bytes);
      const ms = performance.now() - started;
      out(
        `${sorted.length} keys from ${ordinal} entries → ${values.output}: ${bytes.length} bytes ` +
          `(${(bytes.length / Math.max(1, sorted.length)).toFixed(2)} bytes/key) in ${ms.toFixed(0)} ms`,
      );
      return 0;
    }
    case "get": {
      const [file, ...keys] = positionals;
      if (!file || keys.length === 0) break;
      const m = FstMap.load(await readFile(file));
      for (const k of keys) out(`${k}\t${m.get(k) ?? "(absent)"}`);
      return 0;
    }
    case "list": {
      const [file] = positionals;
      if (!file) break;
      const m = FstMap.load(await readFile(file));
      const limit = Number(values.limit);
      let n = 0;
      for (const [k, v] of m.entries({ prefix: values.prefix, gte: values.gte, lt: values.lt })) {
        if (n++ >= limit) break;
        out(`${k}\t${v}`);
      }
      return 0;
    }
    case "fuzzy": {
      const [file, query] = positionals;
      if (!file || query === undefined) break;
      const m = FstMap.load(await readFile(file));
      const lev = new Levenshtein(query, {
        distance: Number(values.distance),
        transpositions: values.transpositions,
      });
      for (const [k, v, s] of m.search(lev)) out(`${k}\t${v}\tdistance ${lev.distanceOf(s)}`);
      return 0;
    }
  }
  out(USAGE);
  return 2;
}
