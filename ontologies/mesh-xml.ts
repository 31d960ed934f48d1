import { createReadStream } from "node:fs";
import { SaxesParser } from "saxes";
import { compactAttributes, type LoadOptions, NameList, type OntologyRecord } from "./common.js";
import { OntologyFormatError } from "./errors.js";

/**
 * MeSH XML (NLM's `desc*.xml`, `supp*.xml`, `qual*.xml`): DescriptorRecordSet, SupplementalRecordSet and
 * QualifierRecordSet, in both the 2014 layout and the later one (the element paths used here are the same;
 * later files drop permuted terms, print flags and some lists, and carry a DOCTYPE, which is not fetched).
 *
 * One record per `DescriptorRecord` / `SupplementalRecord` / `QualifierRecord`:
 * - `id`: the record UI (`D000001`, `C114158`, `Q000002`);
 * - `names`: the record name (`DescriptorName/String` …) first, then every concept's name and every term
 *   (`ConceptList/Concept/TermList/Term/String`, permuted terms of the old layout included) in document
 *   order, whitespace-normalized and deduplicated;
 * - `attributes`: `source: "mesh"`, `type` (`descriptor` | `supplementary` | `qualifier`), `language`
 *   (from the record set's `LanguageCode`, `eng` → `en`), `treeNumbers`, `mappedTo` (supplementary records:
 *   the `HeadingMappedTo` descriptor UIs, without the `*` of starred headings), `abbreviation` (qualifiers).
 *
 * Streaming: the file is read in chunks through a SAX parser and each record is yielded as soon as its end
 * tag is read; memory holds one record at a time.
 */
export async function* loadMeshXml(file: string, options: LoadOptions = {}): AsyncGenerator<OntologyRecord> {
  const parser = new SaxesParser({ position: true });
  const ready: OntologyRecord[] = [];
  const path: string[] = [];
  let kind: RecordKind | undefined;
  let language: string | undefined;
  let yielded = 0;
  let current: RecordBuilder | undefined;
  let capture: Capture | undefined;
  let text = "";
  let rel = "";
  const relStack: string[] = [];

  const fail = (
    code: "SODA_ERR_ONTOLOGY_SYNTAX" | "SODA_ERR_ONTOLOGY_TRUNCATED",
    reason: string,
    cause?: unknown,
  ) =>
    new OntologyFormatError(
      code,
      file,
      reason,
      {
        line: parser.line,
        column: parser.column + 1,
        record: yielded + ready.length,
        recordId: current?.ui || undefined,
      },
      { cause },
    );

  parser.on("opentag", (tag) => {
    const name = tag.name;
    path.push(name);
    if (path.length === 1) {
      kind = ROOTS[name];
      if (kind === undefined)
        throw new OntologyFormatError(
          "SODA_ERR_ONTOLOGY_UNSUPPORTED",
          file,
          `root element <${name}> is not a MeSH DescriptorRecordSet, SupplementalRecordSet or QualifierRecordSet`,
          { line: parser.line, column: parser.column + 1 },
        );
      const code = tag.attributes.LanguageCode;
      if (typeof code === "string" && code.trim().length > 0)
        language = LANGUAGES[code.trim()] ?? code.trim();
      return;
    }
    if (path.length === 2) {
      if (kind !== undefined && name === kind.element) {
        current = {
          ui: "",
          name: "",
          names: new NameList(),
          treeNumbers: [],
          mappedTo: [],
          abbreviation: "",
        };
        rel = "";
        relStack.length = 0;
      }
      return;
    }
    if (current === undefined) return;
    relStack.push(rel);
    rel = rel.length === 0 ? name : `${rel}/${name}`;
    capture = CAPTURES[rel];
    if (capture !== undefined) text = "";
  });

  parser.on("text", (t) => {
    if (capture !== undefined) text += t;
  });
  parser.on("cdata", (t) => {
    if (capture !== undefined) text += t;
  });

  parser.on("closetag", (tag) => {
    path.pop();
    if (current === undefined || kind === undefined) return;
    if (path.length === 1) {
      if (tag.name !== kind.element) return;
      ready.push(finish(current, kind, language, file, parser.line, yielded + ready.length));
      current = undefined;
      return;
    }
    if (capture !== undefined) {
      const value = text.replace(/\s+/g, " ").trim();
      switch (capture) {
        case "ui":
          current.ui = value;
          break;
        case "name":
          current.name = value;
          break;
        case "term":
          current.names.add(value);
          break;
        case "tree":
          if (value.length > 0) current.treeNumbers.push(value);
          break;
        case "mapped":
          if (value.length > 0) current.mappedTo.push(value.replace(/^\*/, ""));
          break;
        case "abbreviation":
          if (current.abbreviation === "") current.abbreviation = value;
          break;
      }
      capture = undefined;
    }
    rel = relStack.pop() ?? "";
  });

  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: options.highWaterMark ?? 65536 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let error: unknown;
      try {
        parser.write(chunk);
      } catch (err) {
        error =
          err instanceof OntologyFormatError
            ? err
            : fail("SODA_ERR_ONTOLOGY_SYNTAX", `malformed XML: ${saxReason(err)}`, err);
      }
      // Records completed before a failure in the same chunk are still delivered, then the error.
      for (const r of ready) {
        yield r;
        yielded++;
      }
      ready.length = 0;
      if (error !== undefined) throw error;
    }
    if (path.length > 0)
      throw fail(
        "SODA_ERR_ONTOLOGY_TRUNCATED",
        `file ends inside <${path[path.length - 1]}> (${path.length} element${path.length === 1 ? "" : "s"} left open): truncated file`,
      );
    try {
      parser.close();
    } catch (err) {
      throw fail("SODA_ERR_ONTOLOGY_SYNTAX", `malformed XML: ${saxReason(err)}`, err);
    }
    if (kind === undefined)
      throw fail("SODA_ERR_ONTOLOGY_TRUNCATED", "no XML root element: empty or truncated file");
    for (const r of ready) yield r;
  } finally {
    stream.destroy();
  }
}

interface RecordKind {
  element: string;
  type: "descriptor" | "supplementary" | "qualifier";
  uiElement: string;
}

type Capture = "ui" | "name" | "term" | "tree" | "mapped" | "abbreviation";

interface RecordBuilder {
  ui: string;
  name: string;
  names: NameList;
  treeNumbers: string[];
  mappedTo: string[];
  abbreviation: string;
}

const ROOTS: Record<string, RecordKind> = {
  DescriptorRecordSet: { element: "DescriptorRecord", type: "descriptor", uiElement: "DescriptorUI" },
  SupplementalRecordSet: {
    element: "SupplementalRecord",
    type: "supplementary",
    uiElement: "SupplementalRecordUI",
  },
  QualifierRecordSet: { element: "QualifierRecord", type: "qualifier", uiElement: "QualifierUI" },
};

/** Element paths below a record element whose text is captured. */
const CAPTURES: Record<string, Capture> = {
  DescriptorUI: "ui",
  SupplementalRecordUI: "ui",
  QualifierUI: "ui",
  "DescriptorName/String": "name",
  "SupplementalRecordName/String": "name",
  "QualifierName/String": "name",
  "ConceptList/Concept/ConceptName/String": "term",
  "ConceptList/Concept/TermList/Term/String": "term",
  "ConceptList/Concept/TermList/Term/Abbreviation": "abbreviation",
  "TreeNumberList/TreeNumber": "tree",
  "HeadingMappedToList/HeadingMappedTo/DescriptorReferredTo/DescriptorUI": "mapped",
};

const LANGUAGES: Record<string, string> = { eng: "en" };

function finish(
  b: RecordBuilder,
  kind: RecordKind,
  language: string | undefined,
  file: string,
  line: number,
  record: number,
): OntologyRecord {
  if (b.ui.length === 0)
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_MISSING_FIELD",
      file,
      `<${kind.element}> without <${kind.uiElement}>`,
      { line, record },
    );
  const names = new NameList();
  names.add(b.name);
  names.addAll(b.names.names);
  if (names.names.length === 0)
    throw new OntologyFormatError(
      "SODA_ERR_ONTOLOGY_MISSING_FIELD",
      file,
      `<${kind.element}> without any name`,
      {
        line,
        record,
        recordId: b.ui,
      },
    );
  return {
    id: b.ui,
    names: names.names,
    attributes: compactAttributes({
      source: "mesh",
      type: kind.type,
      language,
      treeNumbers: b.treeNumbers,
      mappedTo: b.mappedTo,
      abbreviation: b.abbreviation,
    }),
  };
}

/** saxes prefixes its messages with the position; keep only the reason (the position is reported apart). */
function saxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^[^:]*:\d+:\d+: /, "");
}
