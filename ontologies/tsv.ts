import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type LoadOptions, NameList, type OntologyRecord } from "./common.js";
import { OntologyFormatError } from "./errors.js";

/**
 * SoDA's bulk format: one entity per line, `id<TAB>name|name|…`; `::` also separates names, as SoDA
 * allowed. Empty lines and lines starting with `#` are skipped; names are trimmed, empty ones dropped,
 * duplicates removed (first occurrence kept, so the first name stays the preferred one). A line without a
 * tab, or with an empty id, is `SODA_ERR_ONTOLOGY_MISSING_FIELD` at that line. A line with an id and no
 * names yields a record with `names: []` (the same as `src/cli/tsv.ts`); the caller decides what it means.
 * A final line cut short cannot be told from a complete one in this format.
 *
 * Attributes: `source: "tsv"`. Streaming: one line at a time.
 */
export async function* loadTsv(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const input = createReadStream(file, { encoding: "utf8", highWaterMark: options.highWaterMark ?? 65536 });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let yielded = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim().length === 0 || text.startsWith("#")) continue;
      const tab = text.indexOf("\t");
      const id = tab < 0 ? "" : text.slice(0, tab).trim();
      if (tab < 0 || id.length === 0)
        throw new OntologyFormatError(
          "SODA_ERR_ONTOLOGY_MISSING_FIELD",
          file,
          `${tab < 0 ? "no tab after the id" : "empty id"}; expected "id<TAB>name|name|…"`,
          { line, record: yielded },
        );
      const names = new NameList();
      names.addAll(text.slice(tab + 1).split(/\||::/));
      yield { id, names: names.names, attributes: { source: "tsv" } };
      yielded++;
    }
  } finally {
    rl.close();
    input.destroy();
  }
}
