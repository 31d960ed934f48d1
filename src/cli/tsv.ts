import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** One line of SoDA's bulk format: `id<TAB>name|name|…` (`::` also separates names, as SoDA allowed). */
export interface TsvEntry {
  id: string;
  names: string[];
  line: number;
}

/** Thrown with the file and line of a malformed record. */
export class TsvFormatError extends Error {
  readonly code = "SODA_ERR_TSV_FORMAT";
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}; expected "id<TAB>name|name|…"`);
  }
}

/**
 * Streams the entries of a TSV file, one per non-empty line, without reading the file whole.
 * Lines starting with `#` are comments. A line without a tab or with an empty id is an error that names
 * the line; empty names inside a line are dropped.
 */
export async function* readTsv(file: string): AsyncGenerator<TsvEntry> {
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.length === 0 || text.startsWith("#")) continue;
    const tab = text.indexOf("\t");
    if (tab <= 0) throw new TsvFormatError(file, line, tab < 0 ? "no tab after the id" : "empty id");
    const names = text
      .slice(tab + 1)
      .split(/\||::/)
      .map((n) => n.trim())
      .filter((n) => n.length > 0);
    yield { id: text.slice(0, tab), names, line };
  }
}
