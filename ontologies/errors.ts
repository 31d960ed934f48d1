/**
 * Errors of the ontology loaders. Every malformed input is reported as an {@link OntologyFormatError} with a
 * stable `code`, the file, and the position reached: a line (and column where the parser knows it) and the
 * number of records already yielded, plus the id of the record being read when there is one.
 */

export type OntologyErrorCode =
  /** The bytes are not valid XML, N-Triples/Turtle, JSON or OBO at the given position. */
  | "SODA_ERR_ONTOLOGY_SYNTAX"
  /** The file ends in the middle of a record or a statement (an interrupted download, a cut file). */
  | "SODA_ERR_ONTOLOGY_TRUNCATED"
  /** A record lacks a field every record of the format must have (an id, a MeSH UI, a TSV tab). */
  | "SODA_ERR_ONTOLOGY_MISSING_FIELD"
  /** A JSON-LD document refers to a remote context that was not supplied (loaders never go online). */
  | "SODA_ERR_ONTOLOGY_CONTEXT"
  /** The file is well-formed but is not what the chosen format reads (e.g. not a MeSH record set). */
  | "SODA_ERR_ONTOLOGY_UNSUPPORTED";

export interface OntologyPosition {
  /** 1-based line in the file. */
  line?: number;
  /** 1-based column, where the parser reports one. */
  column?: number;
  /** Number of records yielded before the failure (the failing record is `record + 1`). */
  record?: number;
  /** Id of the record being read, when it was already known. */
  recordId?: string;
}

export class OntologyFormatError extends Error {
  override readonly name = "OntologyFormatError";
  readonly line?: number;
  readonly column?: number;
  readonly record?: number;
  readonly recordId?: string;

  constructor(
    readonly code: OntologyErrorCode,
    readonly file: string,
    readonly reason: string,
    position: OntologyPosition = {},
    options?: { cause?: unknown },
  ) {
    super(formatMessage(file, reason, position), options);
    this.line = position.line;
    this.column = position.column;
    this.record = position.record;
    this.recordId = position.recordId;
  }
}

function formatMessage(file: string, reason: string, p: OntologyPosition): string {
  let where = file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  const extra: string[] = [];
  if (p.record !== undefined) extra.push(`after ${p.record} record${p.record === 1 ? "" : "s"}`);
  if (p.recordId !== undefined) extra.push(`in record ${p.recordId}`);
  return `${where}: ${reason}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`;
}

/** Line and column (1-based) of a UTF-16 offset in a string. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
