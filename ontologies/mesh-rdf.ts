import type { Quad } from "n3";
import {
  compactAttributes,
  DEFAULT_LANGUAGES,
  type LoadOptions,
  languageRank,
  NameList,
  type OntologyRecord,
} from "./common.js";
import { localName, parseRdfFile, RDF_TYPE, RDFS_LABEL } from "./rdf-stream.js";

/** NLM's 2014 pre-release vocabulary (the namespace of the resources themselves). */
const M = "http://id.nlm.nih.gov/mesh/";
/** Today's MeSH RDF vocabulary. */
const V = "http://id.nlm.nih.gov/mesh/vocab#";

type MeshType = "descriptor" | "supplementary" | "qualifier";

const TYPES: Record<string, MeshType> = {
  [`${M}Descriptor`]: "descriptor",
  [`${M}Qualifier`]: "qualifier",
  [`${M}SupplementaryConceptRecord`]: "supplementary",
  [`${V}Descriptor`]: "descriptor",
  [`${V}TopicalDescriptor`]: "descriptor",
  [`${V}GeographicalDescriptor`]: "descriptor",
  [`${V}PublicationType`]: "descriptor",
  [`${V}CheckTag`]: "descriptor",
  [`${V}Qualifier`]: "qualifier",
  [`${V}SupplementaryConceptRecord`]: "supplementary",
};

interface Label {
  value: string;
  lang: string;
}

/** What is kept of one subject: only the links and labels that lead to names. */
interface Node {
  type?: MeshType;
  labels?: Label[];
  prefLabels?: Label[];
  altLabels?: Label[];
  preferredConcept?: string;
  concepts?: string[];
  preferredTerm?: string;
  terms?: string[];
  treeNumbers?: string[];
  mappedTo?: string[];
  mappedData?: string[];
  termData?: string[];
}

/** Descriptor-qualifier pairs (`D000001Q000008`) carry labels in today's RDF but are not entities. */
const PAIR = /^[DC]\d+Q\d+$/;
const UI_TYPES: [RegExp, MeshType][] = [
  [/^D\d+$/, "descriptor"],
  [/^C\d+$/, "supplementary"],
  [/^Q\d+$/, "qualifier"],
];

/**
 * MeSH as RDF (N-Triples, Turtle, N-Quads by extension or `options.rdfSyntax`), in both vocabularies:
 * - 2014 (`http://id.nlm.nih.gov/mesh/…`): `rdf:type mesh:Descriptor | mesh:SupplementaryConceptRecord |
 *   mesh:Qualifier`, `rdfs:label`, `mesh:concept` → concept `rdfs:label`, `mesh:term` → term `rdfs:label`,
 *   `mesh:termData` → `rdfs:label` (the term's variants: permuted forms), `mesh:treeNumber` as a literal,
 *   `mesh:mappedData` → `mesh:isMappedToDescriptor`;
 * - today's `meshv:` (`http://id.nlm.nih.gov/mesh/vocab#`): `rdf:type meshv:TopicalDescriptor` (and the
 *   other descriptor classes), `meshv:Qualifier`, `meshv:SCR_*`; `rdfs:label`; `meshv:preferredConcept`,
 *   `meshv:concept`; `meshv:preferredTerm`, `meshv:term`; `meshv:prefLabel` / `meshv:altLabel` /
 *   `rdfs:label` on terms; `meshv:treeNumber` as a resource (its last IRI segment is the tree number);
 *   `meshv:preferredMappedTo` / `meshv:mappedTo` (descriptor or descriptor-qualifier pair: the descriptor UI
 *   is kept).
 *
 * Records and names are those of `loadMeshXml` (same ids, same name sets on the same data): the record
 * label first, then the preferred concept's names, then the other concepts' names and their terms.
 * Labels are filtered by `options.languages` (default untagged + `en`).
 *
 * Memory: RDF is a graph, and a record's concepts and terms may come anywhere in the file, so records are
 * yielded only once the whole file has been read. While reading, only what leads to names is kept: per
 * record, concept and term, its id, type, labels and links (concept/term/tree number/mapping). Memory grows
 * with the number of records, concepts and terms and the length of their labels, not with the other
 * statements (allowable qualifiers, notes, dates, pairs…), which are dropped as they are parsed.
 */
export async function* loadMeshRdf(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const languages = options.languages ?? DEFAULT_LANGUAGES;
  const nodes = new Map<string, Node>();
  const node = (id: string): Node => {
    let n = nodes.get(id);
    if (n === undefined) {
      n = {};
      nodes.set(id, n);
    }
    return n;
  };
  const push = (
    n: Node,
    key: "concepts" | "terms" | "treeNumbers" | "mappedTo" | "mappedData" | "termData",
    value: string,
  ) => {
    const list: string[] = n[key] ?? [];
    if (!list.includes(value)) list.push(value);
    n[key] = list;
  };

  await parseRdfFile(file, options, (q: Quad) => {
    const s = q.subject.value;
    const p = q.predicate.value;
    const o = q.object;
    const isLiteral = o.termType === "Literal";
    switch (p) {
      case RDF_TYPE: {
        const t = TYPES[o.value] ?? (o.value.startsWith(`${V}SCR_`) ? "supplementary" : undefined);
        if (t !== undefined) node(s).type = t;
        return;
      }
      case RDFS_LABEL:
      case `${V}prefLabel`:
      case `${V}altLabel`: {
        if (!isLiteral || PAIR.test(localName(s))) return;
        const lang = (o as { language?: string }).language ?? "";
        if (languageRank(lang, languages) < 0) return;
        const n = node(s);
        const key = p === RDFS_LABEL ? "labels" : p === `${V}prefLabel` ? "prefLabels" : "altLabels";
        const list = n[key] ?? [];
        list.push({ value: o.value, lang });
        n[key] = list;
        return;
      }
      case `${M}concept`:
      case `${V}concept`:
        push(node(s), "concepts", o.value);
        return;
      case `${V}preferredConcept`:
        node(s).preferredConcept = o.value;
        return;
      case `${M}term`:
      case `${V}term`:
        push(node(s), "terms", o.value);
        return;
      case `${V}preferredTerm`:
        node(s).preferredTerm = o.value;
        return;
      case `${M}treeNumber`:
      case `${V}treeNumber`:
        push(node(s), "treeNumbers", isLiteral ? o.value : localName(o.value));
        return;
      case `${M}mappedData`:
        push(node(s), "mappedData", o.value);
        return;
      case `${M}termData`:
        push(node(s), "termData", o.value);
        return;
      case `${M}isMappedToDescriptor`:
      case `${V}preferredMappedTo`:
      case `${V}mappedTo`: {
        const ui = localName(o.value).replace(/Q\d+$/, "");
        push(node(s), "mappedTo", ui);
        return;
      }
    }
  });

  const labelsOf = (id: string | undefined, names: NameList) => {
    if (id === undefined) return;
    const n = nodes.get(id);
    if (n === undefined) return;
    for (const list of [n.prefLabels, n.labels, n.altLabels]) if (list) names.addAll(rank(list, languages));
    for (const d of n.termData ?? []) labelsOf(d, names);
  };
  const termNames = (id: string | undefined, names: NameList) => {
    if (id === undefined) return;
    const n = nodes.get(id);
    if (n === undefined) return;
    labelsOf(n.preferredTerm, names);
    labelsOf(id, names);
    for (const t of n.terms ?? []) labelsOf(t, names);
  };

  for (const [iri, n] of nodes) {
    const ui = localName(iri);
    let type = n.type;
    if (type === undefined) {
      if (n.concepts === undefined && n.preferredConcept === undefined) continue;
      type = UI_TYPES.find(([re]) => re.test(ui))?.[1];
      if (type === undefined) continue;
    }
    const names = new NameList();
    const own = rank([...(n.labels ?? []), ...(n.prefLabels ?? [])], languages);
    names.addAll(own);
    labelsOf(n.preferredTerm, names);
    termNames(n.preferredConcept, names);
    for (const c of n.concepts ?? []) termNames(c, names);
    if (names.names.length === 0) continue;
    const mappedTo = [...(n.mappedTo ?? [])];
    for (const b of n.mappedData ?? []) for (const d of nodes.get(b)?.mappedTo ?? []) mappedTo.push(d);
    const language = firstLanguage(n, languages);
    yield {
      id: ui,
      names: names.names,
      attributes: compactAttributes({
        source: "mesh",
        type,
        language,
        treeNumbers: n.treeNumbers ?? [],
        mappedTo: [...new Set(mappedTo)],
      }),
    };
  }
}

/** Label values, best-ranked language first (stable within a language). */
function rank(labels: Label[], languages: readonly string[]): string[] {
  return labels
    .map((l, i) => ({ l, i, r: languageRank(l.lang, languages) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.l.value);
}

function firstLanguage(n: Node, languages: readonly string[]): string | undefined {
  const all = [...(n.labels ?? []), ...(n.prefLabels ?? [])].filter((l) => l.lang !== "");
  if (all.length === 0) return undefined;
  all.sort((a, b) => languageRank(a.lang, languages) - languageRank(b.lang, languages));
  return all[0].lang.toLowerCase();
}
