/**
 * Ontology loaders: files in the formats below → {@link OntologyRecord}s `{id, names, attributes}`, the
 * entries a lexicon is built from.
 *
 * | format     | reads                                                                 | memory                |
 * |------------|-----------------------------------------------------------------------|-----------------------|
 * | `mesh-xml` | MeSH descriptor, supplementary and qualifier record sets (XML)        | one record            |
 * | `mesh-rdf` | MeSH RDF, 2014 and current `meshv:` vocabularies (N-Triples, Turtle…) | ids, links and labels |
 * | `jsonld`   | JSON-LD: SKOS labels and schema.org `name`/`alternateName`, offline   | whole document        |
 * | `skos`     | SKOS as JSON-LD (as `jsonld`) or as RDF (N-Triples, Turtle…)          | labelled subjects     |
 * | `obo`      | OBO `[Term]` stanzas: name and synonyms by scope                      | one stanza            |
 * | `tsv`      | SoDA's bulk format `id<TAB>name|name|…` (`::` also separates)         | one line              |
 *
 * Each loader is an async generator that yields records as it reads them (the RDF and JSON-LD ones can
 * only yield once the file is read: a graph's record is complete only at the end). Every record has a
 * non-empty `id` and its names deduplicated, preferred name first.
 *
 * Errors: a malformed file throws an {@link OntologyFormatError} (stable `code` `SODA_ERR_ONTOLOGY_*`, the
 * file, the line/column and the number of records already yielded) at the position reached; records
 * yielded before it were valid. The loader does not decide between all-or-nothing and partial loads: the
 * caller does (the lexicon store stages what it receives and commits only when the loader finished
 * without an error). I/O errors (a missing file) are passed through as Node's own errors (`ENOENT` …).
 */
import type { LoadOptions, OntologyFormat, OntologyRecord } from "./common.js";
import { loadJsonLd } from "./jsonld.js";
import { loadMeshRdf } from "./mesh-rdf.js";
import { loadMeshXml } from "./mesh-xml.js";
import { loadObo } from "./obo.js";
import { loadSkos } from "./skos.js";
import { loadTsv } from "./tsv.js";

export type { LoadOptions, OboScope, OntologyFormat, OntologyRecord, RdfSyntax } from "./common.js";
export { DEFAULT_EXCLUDED_SYNONYM_TYPES, DEFAULT_LANGUAGES, DEFAULT_OBO_SCOPES } from "./common.js";
export { type OntologyErrorCode, OntologyFormatError, type OntologyPosition } from "./errors.js";
export { loadJsonLd, loadMeshRdf, loadMeshXml, loadObo, loadSkos, loadTsv };

export const ONTOLOGY_FORMATS: readonly OntologyFormat[] = [
  "mesh-xml",
  "mesh-rdf",
  "jsonld",
  "skos",
  "obo",
  "tsv",
];

/** Streams the records of `file` read as `format`. See the module comment for errors and memory. */
export function loadOntology(
  file: string,
  format: OntologyFormat,
  options: LoadOptions = {},
): AsyncGenerator<OntologyRecord> {
  switch (format) {
    case "mesh-xml":
      return loadMeshXml(file, options);
    case "mesh-rdf":
      return loadMeshRdf(file, options);
    case "jsonld":
      return loadJsonLd(file, options);
    case "skos":
      return loadSkos(file, options);
    case "obo":
      return loadObo(file, options);
    case "tsv":
      return loadTsv(file, options);
    default:
      throw new TypeError(
        `unknown ontology format ${JSON.stringify(format)}; expected one of ${ONTOLOGY_FORMATS.join(", ")}`,
      );
  }
}

/**
 * A format guessed from a file name, for CLIs: `.obo` → obo, `.tsv`/`.txt` → tsv, `.jsonld`/`.json` →
 * jsonld, `.xml` → mesh-xml, `.nt`/`.ttl`/`.nq`/`.trig` → mesh-rdf when the name says MeSH
 * (`mesh`, `desc`, `supp`, `qual`), skos otherwise. `undefined` when unknown.
 */
export function guessOntologyFormat(file: string): OntologyFormat | undefined {
  const name = file.toLowerCase();
  const ext = name.slice(name.lastIndexOf("."));
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  switch (ext) {
    case ".obo":
      return "obo";
    case ".tsv":
    case ".txt":
      return "tsv";
    case ".jsonld":
    case ".json":
      return "jsonld";
    case ".xml":
      return "mesh-xml";
    case ".nt":
    case ".ttl":
    case ".nq":
    case ".trig":
      return /mesh|desc|supp|qual/.test(base) ? "mesh-rdf" : "skos";
    default:
      return undefined;
  }
}
