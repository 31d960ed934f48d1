import { extname } from "node:path";
import {
  compactAttributes,
  DEFAULT_LANGUAGES,
  type LoadOptions,
  languageRank,
  NameList,
  type OntologyRecord,
} from "./common.js";
import { loadJsonLd } from "./jsonld.js";
import { parseRdfFile, RDF_TYPE } from "./rdf-stream.js";

const SKOS = "http://www.w3.org/2004/02/skos/core#";
const LABELS: Record<string, number> = {
  [`${SKOS}prefLabel`]: 0,
  [`${SKOS}altLabel`]: 1,
  [`${SKOS}hiddenLabel`]: 2,
};

interface Concept {
  labels: { value: string; lang: string; kind: number }[];
  notation: string[];
  types: string[];
  broader: string[];
}

/**
 * SKOS vocabularies. A `.jsonld` / `.json` file goes through {@link loadJsonLd} (same records); any other
 * file is read as RDF (N-Triples, N-Quads, TriG or Turtle by extension, or `options.rdfSyntax`).
 *
 * Every subject with a kept `skos:prefLabel`, `skos:altLabel` or `skos:hiddenLabel` becomes a record: id =
 * its IRI (blank nodes are skipped), names = preferred labels (best language first), then alternative, then
 * hidden labels, filtered by `options.languages` (default untagged + `en`); `skos:notation` is kept as the
 * `notation` attribute and is a name only with `options.notationAsName`. Attributes: `source: "skos"`,
 * `types`, `notation`, `broader`, `language`.
 *
 * Memory (RDF): records are complete only at the end of the file; what is kept meanwhile is, per subject
 * with a label, notation, type or broader link, those values, nothing of the other statements.
 */
export async function* loadSkos(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const ext = extname(file).toLowerCase();
  if (ext === ".jsonld" || ext === ".json") {
    yield* loadJsonLd(file, options);
    return;
  }
  const languages = options.languages ?? DEFAULT_LANGUAGES;
  const concepts = new Map<string, Concept>();
  const concept = (id: string): Concept => {
    let c = concepts.get(id);
    if (c === undefined) {
      c = { labels: [], notation: [], types: [], broader: [] };
      concepts.set(id, c);
    }
    return c;
  };
  await parseRdfFile(file, options, (q) => {
    if (q.subject.termType !== "NamedNode") return;
    const p = q.predicate.value;
    const o = q.object;
    const kind = LABELS[p];
    if (kind !== undefined) {
      if (o.termType !== "Literal") return;
      const lang = o.language ?? "";
      if (languageRank(lang, languages) >= 0)
        concept(q.subject.value).labels.push({ value: o.value, lang, kind });
    } else if (p === `${SKOS}notation`) {
      if (o.termType === "Literal") concept(q.subject.value).notation.push(o.value);
    } else if (p === RDF_TYPE) {
      concept(q.subject.value).types.push(o.value);
    } else if (p === `${SKOS}broader`) {
      concept(q.subject.value).broader.push(o.value);
    }
  });

  for (const [id, c] of concepts) {
    if (c.labels.length === 0 && !(options.notationAsName && c.notation.length > 0)) continue;
    const sorted = c.labels
      .map((l, i) => ({ ...l, i, r: languageRank(l.lang, languages) }))
      .sort((a, b) => a.kind - b.kind || (a.kind === 0 ? a.r - b.r : 0) || a.i - b.i);
    const names = new NameList();
    for (const l of sorted) names.add(l.value);
    if (options.notationAsName) names.addAll(c.notation);
    const first = sorted[0];
    yield {
      id,
      names: names.names,
      attributes: compactAttributes({
        source: "skos",
        types: [...new Set(c.types)],
        notation: c.notation,
        broader: [...new Set(c.broader)],
        language:
          first !== undefined && first.kind === 0 && first.lang !== "" ? first.lang.toLowerCase() : undefined,
      }),
    };
  }
}
