import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import jsonld from "jsonld";
import type { JsonLd, RemoteDocument } from "jsonld/jsonld-spec.js";
import {
  compactAttributes,
  DEFAULT_LANGUAGES,
  type LoadOptions,
  languageRank,
  NameList,
  type OntologyRecord,
} from "./common.js";
import { lineColumnAt, OntologyFormatError } from "./errors.js";

const SKOS = "http://www.w3.org/2004/02/skos/core#";
const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
const SCHEMA = ["http://schema.org/", "https://schema.org/"];

/** Properties read as names, in the order they enter `names` (preferred ones first). */
const PREFERRED = [`${SKOS}prefLabel`, ...SCHEMA.map((s) => `${s}name`), RDFS_LABEL];
const ALTERNATIVE = [`${SKOS}altLabel`, ...SCHEMA.map((s) => `${s}alternateName`), `${SKOS}hiddenLabel`];
const NOTATION = `${SKOS}notation`;
const IDENTIFIER = [...SCHEMA.map((s) => `${s}identifier`), "http://purl.org/dc/terms/identifier"];

/**
 * Contexts shipped with soda, by URL without scheme and trailing slash:
 * - `openactive.io`: the OpenActive context (`@openactive/data-models` 3.0.9, `src/dist/contexts.js`, MIT),
 *   in `ontologies/contexts/openactive.jsonld`;
 * - `schema.org`: NOT the full schema.org context but a minimal stand-in (`@vocab` `http://schema.org/`
 *   with the `id`/`type` aliases), which expands `name`, `alternateName` and `identifier` exactly as the
 *   real one does. A document that needs the real context's typed terms can supply it with `--context`.
 */
const BUNDLED: Record<string, () => Promise<object>> = {
  "openactive.io": () => readContextFile(bundledFile("openactive.jsonld")),
  "schema.org": async () => ({ "@context": { "@vocab": "http://schema.org/", id: "@id", type: "@type" } }),
};

/**
 * JSON-LD documents through jsonld.js, offline: SKOS concept schemes (`skos:prefLabel`, `skos:altLabel`,
 * `skos:hiddenLabel`, `skos:notation`) and schema.org-style data (`name`, `alternateName`), in any shape
 * (nested, `@graph`, several top-level nodes): the document is flattened and every node with an IRI (or
 * else a schema.org / Dublin Core `identifier`) and at least one kept label becomes a record.
 *
 * - `names`: preferred labels (`skos:prefLabel`, `schema:name`, `rdfs:label`) first, best language first,
 *   then `skos:altLabel`, `schema:alternateName`, `skos:hiddenLabel` (in that order, then by language);
 *   literals only, filtered by
 *   `options.languages` (default: untagged + `en`). `skos:notation` values are names only with
 *   `options.notationAsName`.
 * - `attributes`: `source: "jsonld"`, `types` (expanded class IRIs), `notation`, `broader`, `language`
 *   (of the first preferred label, when tagged).
 *
 * Remote contexts are never fetched. A context URL resolves to `options.contexts[url]` (a file or the
 * parsed document; `http`/`https` and a trailing `/` are ignored when matching), else to a bundled one
 * (the OpenActive context, a minimal schema.org stand-in); any other URL fails with
 * `SODA_ERR_ONTOLOGY_CONTEXT`, naming the URL and how to supply it (`--context URL=FILE`).
 *
 * Memory: unlike the other loaders this one is not streaming. JSON-LD expansion and flattening work on the
 * whole document (node references may point anywhere), so the file is read whole and held as parsed JSON
 * plus its flattened form: memory is a small multiple of the file size. Records are yielded after that,
 * in the order of the flattened graph (sorted by node id, blank nodes first).
 */
export async function* loadJsonLd(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const languages = options.languages ?? DEFAULT_LANGUAGES;
  const text = await readFile(file, "utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw jsonError(file, text, err);
  }
  if (doc === null || typeof doc !== "object")
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_UNSUPPORTED",
      file,
      "not a JSON-LD document (an object or array)",
    );

  const documentLoader = makeDocumentLoader(file, options.contexts ?? {});
  let flat: unknown;
  try {
    flat = await jsonld.flatten(doc as jsonld.JsonLdDocument, undefined, { documentLoader });
  } catch (err) {
    const own = findOwnError(err);
    if (own !== undefined) throw own;
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_SYNTAX",
      file,
      `invalid JSON-LD: ${err instanceof Error ? err.message : String(err)}`,
      {},
      { cause: err },
    );
  }

  const nodes = Array.isArray(flat) ? flat : ((flat as { "@graph"?: unknown[] })["@graph"] ?? []);
  for (const raw of nodes) {
    const node = raw as Record<string, unknown>;
    const record = toRecord(node, languages, options.notationAsName === true);
    if (record !== undefined) yield record;
  }
}

interface ValueObject {
  "@value"?: unknown;
  "@language"?: string;
  "@id"?: string;
}

function literals(node: Record<string, unknown>, property: string): { value: string; lang: string }[] {
  const values = node[property];
  if (!Array.isArray(values)) return [];
  const out: { value: string; lang: string }[] = [];
  for (const v of values as ValueObject[]) {
    if (v === null || typeof v !== "object" || v["@value"] === undefined) continue;
    const value = v["@value"];
    if (typeof value !== "string" && typeof value !== "number") continue;
    out.push({ value: String(value), lang: v["@language"] ?? "" });
  }
  return out;
}

/** IRIs of a property's values: node references, or strings where the context did not type it `@id`. */
function references(node: Record<string, unknown>, property: string): string[] {
  const values = node[property];
  if (!Array.isArray(values)) return [];
  return (values as ValueObject[])
    .map((v) => v?.["@id"] ?? v?.["@value"])
    .filter((id): id is string => typeof id === "string");
}

function toRecord(
  node: Record<string, unknown>,
  languages: readonly string[],
  notationAsName: boolean,
): OntologyRecord | undefined {
  /** Preferred labels: best language first; alternative ones: by property, then language. */
  const ranked = (properties: string[], languageFirst: boolean) =>
    properties
      .flatMap((p, pi) =>
        literals(node, p).map((l, i) => ({ ...l, pi, i, r: languageRank(l.lang, languages) })),
      )
      .filter((l) => l.r >= 0)
      .sort((a, b) => (languageFirst ? a.r - b.r || a.pi - b.pi : a.pi - b.pi || a.r - b.r) || a.i - b.i);
  const preferred = ranked(PREFERRED, true);
  const names = new NameList();
  for (const l of preferred) names.add(l.value);
  for (const l of ranked(ALTERNATIVE, false)) names.add(l.value);
  const notation = literals(node, NOTATION).map((l) => l.value);
  if (notationAsName) names.addAll(notation);
  if (names.names.length === 0) return undefined;

  let id = typeof node["@id"] === "string" ? node["@id"] : undefined;
  if (id === undefined || id.startsWith("_:")) {
    id = IDENTIFIER.flatMap((p) => literals(node, p)).map((l) => l.value)[0];
    if (id === undefined) return undefined;
  }
  const types = Array.isArray(node["@type"]) ? (node["@type"] as string[]) : [];
  return {
    id,
    names: names.names,
    attributes: compactAttributes({
      source: "jsonld",
      types,
      notation,
      broader: references(node, `${SKOS}broader`),
      language: preferred[0]?.lang ? preferred[0].lang.toLowerCase() : undefined,
    }),
  };
}

/** The key under which a context URL is looked up: no scheme, no fragment, no trailing slash. */
function contextKey(url: string): string {
  return url
    .replace(/^https?:\/\//i, "")
    .replace(/#.*$/, "")
    .replace(/\/+$/, "")
    .toLowerCase();
}

function makeDocumentLoader(file: string, contexts: Record<string, string | object>) {
  const supplied = new Map<string, string | object>();
  for (const [url, source] of Object.entries(contexts)) supplied.set(contextKey(url), source);
  const cache = new Map<string, Promise<object>>();
  return async (url: string) => {
    const key = contextKey(url);
    let document = cache.get(key);
    if (document === undefined) {
      const source = supplied.get(key);
      if (source !== undefined) {
        document =
          typeof source === "string" ? readContextFile(source, file, url) : Promise.resolve(wrap(source));
      } else if (BUNDLED[key] !== undefined) {
        document = BUNDLED[key]();
      } else {
        throw new OntologyFormatError(
          "SODA_ERR_ONTOLOGY_CONTEXT",
          file,
          `JSON-LD context ${url} is not available offline: supply a copy with --context ${url}=FILE ` +
            `(options.contexts: { "${url}": "FILE" }); remote contexts are never fetched`,
        );
      }
      cache.set(key, document);
    }
    const remote: RemoteDocument = {
      contextUrl: undefined,
      documentUrl: url,
      document: (await document) as JsonLd,
    };
    return remote;
  };
}

/** A context document as jsonld.js wants it: `{"@context": …}` (a bare context object is wrapped). */
function wrap(source: object): object {
  return "@context" in source ? source : { "@context": source };
}

async function readContextFile(path: string, file = path, url = path): Promise<object> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_CONTEXT",
      file,
      `cannot read the file ${path} given for JSON-LD context ${url}: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error("not a JSON object");
    return wrap(parsed);
  } catch (err) {
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_CONTEXT",
      file,
      `the file ${path} given for JSON-LD context ${url} is not a JSON object: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
}

function bundledFile(name: string): string {
  // ontologies/jsonld.ts (sources, tests) or dist/ontologies/jsonld.js (built): find ontologies/contexts.
  for (const rel of [`./contexts/${name}`, `../../ontologies/contexts/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return fileURLToPath(new URL(`./contexts/${name}`, import.meta.url));
}

/** Our own error, wrapped by jsonld.js (`details.cause`) when thrown from the document loader. */
function findOwnError(err: unknown): OntologyFormatError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === "object"; depth++) {
    if (e instanceof OntologyFormatError) return e;
    const o = e as { cause?: unknown; details?: { cause?: unknown } };
    e = o.details?.cause ?? o.cause;
  }
  return undefined;
}

function jsonError(file: string, text: string, err: unknown): OntologyFormatError {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  const truncated = /end of (JSON )?input|Unterminated string/i.test(message);
  const offset = at ? Number(at[1]) : truncated ? text.length : undefined;
  const pos = offset !== undefined ? lineColumnAt(text, offset) : {};
  return new OntologyFormatError(
    truncated ? "SODA_ERR_ONTOLOGY_TRUNCATED" : "SODA_ERR_ONTOLOGY_SYNTAX",
    file,
    truncated
      ? `JSON ends early (${message}): truncated file`
      : `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
    pos,
    { cause: err },
  );
}
