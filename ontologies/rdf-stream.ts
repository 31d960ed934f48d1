import { EventEmitter } from "node:events";
import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { Parser, type Quad } from "n3";
import type { LoadOptions, RdfSyntax } from "./common.js";
import { OntologyFormatError } from "./errors.js";

export const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
export const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";

/** RDF syntax of a file from its extension: `.nt`, `.nq`, `.trig`, otherwise Turtle (a superset of N-Triples). */
export function rdfSyntaxOf(file: string, options: LoadOptions): RdfSyntax {
  if (options.rdfSyntax !== undefined) return options.rdfSyntax;
  const ext = extname(file).toLowerCase();
  if (ext === ".nt" || ext === ".ntriples") return "N-Triples";
  if (ext === ".nq" || ext === ".nquads") return "N-Quads";
  if (ext === ".trig") return "TriG";
  return "Turtle";
}

/**
 * Streams the statements of an RDF file to `onQuad`, chunk by chunk (n3's push parser fed from a file
 * stream; nothing but the parser's current statement is buffered). Resolves at the end of the file.
 * Syntax errors reject with an {@link OntologyFormatError} giving the line; an error raised only when the
 * input ends (a cut statement, an unterminated literal or IRI) is reported as truncation.
 */
export async function parseRdfFile(
  file: string,
  options: LoadOptions,
  onQuad: (quad: Quad) => void,
): Promise<void> {
  const syntax = rdfSyntaxOf(file, options);
  const parser = new Parser({ format: syntax });
  const input = new EventEmitter();
  let failure: (Error & { context?: { line?: number } }) | undefined;
  let ending = false;
  let failedWhileEnding = false;
  let lines = 1;
  parser.parse(input, (error, quad) => {
    if (error) {
      if (failure === undefined) {
        failure = error;
        failedWhileEnding = ending;
      }
      return;
    }
    if (quad && failure === undefined) onQuad(quad);
  });

  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: options.highWaterMark ?? 65536 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      input.emit("data", chunk);
      if (failure !== undefined) break;
      for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) lines++;
    }
    if (failure === undefined) {
      ending = true;
      input.emit("end");
    }
  } finally {
    stream.destroy();
  }
  if (failure !== undefined) {
    const line = failure.context?.line;
    const reason = failure.message.replace(/ on line \d+\.$/, "");
    if (failedWhileEnding)
      throw new OntologyFormatError(
        "SODA_ERR_ONTOLOGY_TRUNCATED",
        file,
        `${syntax} statement cut off at the end of the file (${reason}): truncated file`,
        { line: line ?? lines },
        { cause: failure },
      );
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_SYNTAX",
      file,
      `malformed ${syntax}: ${reason}`,
      { line },
      {
        cause: failure,
      },
    );
  }
}

/** The last segment of an IRI (after `#` or `/`). */
export function localName(iri: string): string {
  const i = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
  return i >= 0 ? iri.slice(i + 1) : iri;
}
