/** Types and helpers shared by the loaders. `index.ts` re-exports the public part. */

/** One entity of an ontology: its id, its names (preferred name first, no duplicates) and extra data. */
export interface OntologyRecord {
  id: string;
  names: string[];
  /**
   * Format-specific data, all optional: `source` (`mesh`, `jsonld`, `skos`, `obo`, `tsv`), `type`
   * (MeSH: `descriptor` | `supplementary` | `qualifier`), `treeNumbers`, `mappedTo` (MeSH descriptor UIs),
   * `language`, `types` (RDF/JSON-LD class IRIs), `notation`, `broader`, `namespace` (OBO). Lists are only
   * present when not empty.
   */
  attributes?: Record<string, string | string[]>;
}

export type OntologyFormat = "mesh-xml" | "mesh-rdf" | "jsonld" | "skos" | "obo" | "tsv";

export type OboScope = "EXACT" | "BROAD" | "NARROW" | "RELATED";

export type RdfSyntax = "N-Triples" | "N-Quads" | "Turtle" | "TriG";

export interface LoadOptions {
  /**
   * Languages of the labels to keep (JSON-LD, SKOS, MeSH RDF). `""` stands for untagged literals; a tag
   * matches itself and its subtags (`en` keeps `en-GB`); `"*"` keeps every language.
   * Default: `["", "en"]`. The first kept language of a preferred label decides which one comes first.
   */
  languages?: string[];
  /**
   * JSON-LD contexts available offline: context URL → a JSON file (either `{"@context": …}` or the bare
   * context object), or the parsed document itself. They are consulted before the bundled ones.
   */
  contexts?: Record<string, string | object>;
  /** SKOS: also use `skos:notation` values as names (they are always kept as the `notation` attribute). */
  notationAsName?: boolean;
  /** OBO: synonym scopes kept as names. Default `["EXACT", "RELATED"]`. */
  scopes?: OboScope[];
  /**
   * OBO: synonym types (the optional word after the scope) never kept as names. Default
   * `["FORMULA", "SMILES", "InChI", "InChIKey"]`: structure notations, not names. `[]` keeps all.
   */
  excludeSynonymTypes?: string[];
  /** MeSH RDF / SKOS: RDF syntax; default from the extension (`.nt`, `.nq`, `.trig`, otherwise Turtle). */
  rdfSyntax?: RdfSyntax;
  /** Read buffer size in bytes (streaming loaders). Default 64 KiB. */
  highWaterMark?: number;
}

export const DEFAULT_LANGUAGES: readonly string[] = ["", "en"];
export const DEFAULT_OBO_SCOPES: readonly OboScope[] = ["EXACT", "RELATED"];
export const DEFAULT_EXCLUDED_SYNONYM_TYPES: readonly string[] = ["FORMULA", "SMILES", "InChI", "InChIKey"];

/**
 * Rank of a language tag under a `languages` option: the index of the first entry it matches, or -1 when
 * it is not kept. Comparison is case-insensitive, and `en` matches `en-GB`.
 */
export function languageRank(tag: string, languages: readonly string[]): number {
  const t = tag.toLowerCase();
  for (let i = 0; i < languages.length; i++) {
    const l = languages[i].toLowerCase();
    if (l === "*" || l === t || (l !== "" && t.startsWith(`${l}-`))) return i;
  }
  return -1;
}

/** Collects names in order, trimmed, whitespace runs collapsed, exact duplicates and empty strings dropped. */
export class NameList {
  private readonly seen = new Set<string>();
  readonly names: string[] = [];

  add(name: string | undefined | null): void {
    if (name === undefined || name === null) return;
    const n = name.replace(/\s+/g, " ").trim();
    if (n.length === 0 || this.seen.has(n)) return;
    this.seen.add(n);
    this.names.push(n);
  }

  addAll(names: Iterable<string>): void {
    for (const n of names) this.add(n);
  }
}

/** Attributes without empty lists or empty strings. */
export function compactAttributes(
  attrs: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (Array.isArray(v) ? v.length === 0 : v.length === 0) continue;
    out[k] = v;
  }
  return out;
}
