import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import {
  compactAttributes,
  DEFAULT_EXCLUDED_SYNONYM_TYPES,
  DEFAULT_OBO_SCOPES,
  type LoadOptions,
  NameList,
  type OboScope,
  type OntologyRecord,
} from "./common.js";
import { OntologyFormatError } from "./errors.js";

const SCOPES = new Set<string>(["EXACT", "BROAD", "NARROW", "RELATED"]);
/** OBO 1.0 synonym tags and the scope they imply. */
const OLD_SYNONYM_TAGS: Record<string, OboScope> = {
  exact_synonym: "EXACT",
  broad_synonym: "BROAD",
  narrow_synonym: "NARROW",
  related_synonym: "RELATED",
};

interface Stanza {
  line: number;
  id?: string;
  name?: string;
  namespace?: string;
  obsolete: boolean;
  synonyms: { text: string; scope: OboScope; type?: string }[];
}

/**
 * OBO flat files (1.0 to 1.4; Gene Ontology, ChEBI …), read line by line. One record per `[Term]` stanza;
 * `[Typedef]` and `[Instance]` stanzas and the header are skipped, and so are terms with
 * `is_obsolete: true`.
 *
 * - `id`: the `id:` tag (required: a `[Term]` without one is `SODA_ERR_ONTOLOGY_MISSING_FIELD`);
 * - `names`: `name:` first, then the `synonym: "text" SCOPE [TYPE] [xrefs]` lines (and OBO 1.0's
 *   `exact_synonym:` … tags) whose scope is in `options.scopes` — default **EXACT and RELATED**: exact
 *   synonyms and the related ones that ontologies use for common names, abbreviations and other languages;
 *   BROAD and NARROW name other concepts and are left out unless asked for — and whose type is not in
 *   `options.excludeSynonymTypes` (default `FORMULA`, `SMILES`, `InChI`, `InChIKey`: ChEBI files them as
 *   RELATED synonyms, but they are structure notations, not names). A synonym without a scope is RELATED,
 *   as the OBO 1.4 spec says. A term with neither a name nor a kept synonym yields nothing.
 * - `attributes`: `source: "obo"`, `namespace` (the term's, else the header's `default-namespace`).
 *
 * Escapes (`\"`, `\\`, `\n`, `\t` …) are decoded; trailing `{…}` qualifiers and `! comments` are dropped.
 * Streaming: memory holds one stanza.
 */
export async function* loadObo(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const scopes = new Set<string>(options.scopes ?? DEFAULT_OBO_SCOPES);
  const excluded = new Set(
    (options.excludeSynonymTypes ?? DEFAULT_EXCLUDED_SYNONYM_TYPES).map((t) => t.toLowerCase()),
  );
  const input = createReadStream(file, { encoding: "utf8", highWaterMark: options.highWaterMark ?? 65536 });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let yielded = 0;
  let defaultNamespace: string | undefined;
  let stanza: Stanza | undefined;
  let inHeader = true;
  /** A malformed line: a syntax error, unless it is the last line of the file (then: truncated). */
  let pending: { line: number; reason: string; recordId?: string } | undefined;

  const finish = (s: Stanza): OntologyRecord | undefined => {
    if (s.id === undefined || s.id.length === 0)
      throw new OntologyFormatError(
        "SODA_ERR_ONTOLOGY_MISSING_FIELD",
        file,
        `[Term] stanza without an id: tag${s.name ? ` (name: ${s.name})` : ""}`,
        { line: s.line, record: yielded },
      );
    if (s.obsolete) return undefined;
    const names = new NameList();
    names.add(s.name);
    for (const syn of s.synonyms)
      if (scopes.has(syn.scope) && (syn.type === undefined || !excluded.has(syn.type.toLowerCase())))
        names.add(syn.text);
    if (names.names.length === 0) return undefined;
    return {
      id: s.id,
      names: names.names,
      attributes: compactAttributes({ source: "obo", namespace: s.namespace ?? defaultNamespace }),
    };
  };

  try {
    for await (const raw of rl) {
      lineNo++;
      if (pending !== undefined)
        throw new OntologyFormatError("SODA_ERR_ONTOLOGY_SYNTAX", file, pending.reason, {
          line: pending.line,
          record: yielded,
          recordId: pending.recordId,
        });
      const line = raw.trim();
      if (line.length === 0 || line.startsWith("!")) continue;
      if (line.startsWith("[")) {
        if (stanza !== undefined) {
          const r = finish(stanza);
          if (r !== undefined) {
            yield r;
            yielded++;
          }
        }
        inHeader = false;
        const header = line.replace(/\s*!.*$/, "");
        if (!/^\[[A-Za-z]+\]$/.test(header)) {
          pending = { line: lineNo, reason: `malformed stanza header ${JSON.stringify(line)}` };
          stanza = undefined;
          continue;
        }
        stanza = header === "[Term]" ? { line: lineNo, obsolete: false, synonyms: [] } : undefined;
        continue;
      }
      const colon = line.indexOf(":");
      if (colon <= 0) {
        pending = {
          line: lineNo,
          reason: `expected "tag: value", got ${JSON.stringify(line)}`,
          recordId: stanza?.id,
        };
        continue;
      }
      const tag = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (inHeader) {
        if (tag === "default-namespace") defaultNamespace = plainValue(value);
        continue;
      }
      if (stanza === undefined) continue;
      switch (tag) {
        case "id":
          stanza.id = plainValue(value);
          break;
        case "name":
          stanza.name = plainValue(value);
          break;
        case "namespace":
          stanza.namespace = plainValue(value);
          break;
        case "is_obsolete":
          stanza.obsolete = plainValue(value) === "true";
          break;
        case "synonym":
        case "exact_synonym":
        case "broad_synonym":
        case "narrow_synonym":
        case "related_synonym": {
          const syn = parseSynonym(value, OLD_SYNONYM_TAGS[tag]);
          if (typeof syn === "string") pending = { line: lineNo, reason: syn, recordId: stanza.id };
          else stanza.synonyms.push(syn);
          break;
        }
      }
    }
  } finally {
    rl.close();
    input.destroy();
  }
  if (pending !== undefined)
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_TRUNCATED",
      file,
      `last line cut off (${pending.reason}): truncated file`,
      { line: pending.line, record: yielded, recordId: pending.recordId },
    );
  if (stanza !== undefined) {
    const r = finish(stanza);
    if (r !== undefined) yield r;
  }
}

/** A tag value without trailing `{qualifiers}` and `! comment`, escapes decoded. */
function plainValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\" && i + 1 < value.length) {
      out += decodeEscape(value[++i]);
      continue;
    }
    if (c === "!" && (i === 0 || /\s/.test(value[i - 1]))) break;
    if (c === "{" && /\}\s*$/.test(value) && (i === 0 || /\s/.test(value[i - 1]))) break;
    out += c;
  }
  return out.trim();
}

function decodeEscape(c: string): string {
  switch (c) {
    case "n":
      return "\n";
    case "t":
      return "\t";
    case "W":
      return " ";
    default:
      return c;
  }
}

/** `"text" SCOPE [TYPE] [xrefs] {…}` → the synonym, or the reason it is malformed. */
function parseSynonym(
  value: string,
  impliedScope: OboScope | undefined,
): { text: string; scope: OboScope; type?: string } | string {
  if (!value.startsWith('"')) return `synonym without a quoted text: ${JSON.stringify(value)}`;
  let text = "";
  let i = 1;
  for (; i < value.length; i++) {
    const c = value[i];
    if (c === "\\" && i + 1 < value.length) {
      text += decodeEscape(value[++i]);
      continue;
    }
    if (c === '"') break;
    text += c;
  }
  if (i >= value.length) return `unterminated synonym text: ${JSON.stringify(value)}`;
  const rest = value
    .slice(i + 1)
    .replace(/\s!.*$/, "")
    .trim();
  const words = rest.length === 0 ? [] : rest.split(/\s+/);
  let scope: OboScope = impliedScope ?? "RELATED";
  let w = 0;
  if (impliedScope === undefined && words[w] !== undefined && SCOPES.has(words[w]))
    scope = words[w++] as OboScope;
  const type =
    words[w] !== undefined && !words[w].startsWith("[") && !words[w].startsWith("{") ? words[w] : undefined;
  return { text, scope, type };
}
