import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { loadJsonLd, loadOntology, loadSkos, OntologyFormatError } from "../../ontologies/index.js";
import { byId, collect, failure, fixture, nameCount, tempDir } from "./helpers.js";

const SKOS = "http://www.w3.org/2004/02/skos/core#";
const OPENACTIVE = "https://openactive.io/";
const dir = tempDir();

/** The OpenActive context from the devDependency, written to a file as `--context URL=FILE` would give it. */
const contextFile = join(dir, "openactive-context.json");
const contexts = createRequire(import.meta.url)("@openactive/data-models/src/dist/contexts.js") as Record<
  string,
  object
>;
writeFileSync(contextFile, JSON.stringify({ "@context": contexts["2.x"] }));

describe("JSON-LD: the OpenActive activity list (SKOS)", () => {
  it("reads the 768 concepts with prefLabel first and altLabels, context supplied as a file", async () => {
    const records = await collect(
      loadOntology(fixture("activity-list.jsonld"), "jsonld", { contexts: { [OPENACTIVE]: contextFile } }),
    );
    expect(records).toHaveLength(768);
    expect(nameCount(records)).toBe(786);
    const bowls = byId(records).get(
      "https://openactive.io/activity-list#b885f4f6-2242-4d11-9466-065d60402624",
    )!;
    expect(bowls.names).toEqual(["Bowls", "Lawn Bowls"]);
    expect(bowls.attributes).toMatchObject({
      source: "jsonld",
      types: [`${SKOS}Concept`],
      notation: ["bowls"],
    });
    const side = byId(records).get(
      "https://openactive.io/activity-list#117e7f70-6c42-4b1f-a3bb-620b63ea2632",
    )!;
    expect(side.names).toEqual(["11-a-side"]);
    expect(side.attributes?.broader).toEqual([
      "https://openactive.io/activity-list#0a5f732d-e806-4e51-ad40-0a7de0239c8c",
    ]);
    expect(records.every((r) => r.attributes?.language === undefined)).toBe(true);
  });

  it("gives the same records with the bundled OpenActive context", async () => {
    const supplied = await collect(
      loadJsonLd(fixture("activity-list.jsonld"), { contexts: { [OPENACTIVE]: contextFile } }),
    );
    const bundled = await collect(loadJsonLd(fixture("activity-list.jsonld")));
    expect(bundled).toEqual(supplied);
  });

  it("uses notations as names only when asked", async () => {
    const records = await collect(loadJsonLd(fixture("activity-list.jsonld"), { notationAsName: true }));
    const bowls = records.find((r) => r.names[0] === "Bowls")!;
    expect(bowls.names).toEqual(["Bowls", "Lawn Bowls", "bowls"]);
  });

  it("reads a concept collection: the collection itself is the only labelled node", async () => {
    const records = await collect(loadJsonLd(fixture("collection-holistic.jsonld")));
    expect(records).toEqual([
      {
        id: "https://openactive.io/activity-list/collections/holistic.jsonld",
        names: ["Holistic"],
        // The OpenActive context has no term for ConceptCollection: @vocab makes it schema.org's.
        attributes: { source: "jsonld", types: ["https://schema.org/ConceptCollection"] },
      },
    ]);
  });

  it("SKOS as RDF (N-Quads made from the same document) gives the same ids and names", async () => {
    const doc = JSON.parse(readFileSync(fixture("activity-list.jsonld"), "utf8")) as jsonld.JsonLdDocument;
    const documentLoader = async (url: string) => ({
      documentUrl: url,
      document: { "@context": contexts["2.x"] },
    });
    const options = { format: "application/n-quads", documentLoader } as unknown as jsonld.Options.ToRdf;
    const nquads = (await jsonld.toRDF(doc, options)) as unknown as string;
    const file = join(dir, "activity-list.nq");
    writeFileSync(file, nquads);
    const fromRdf = await collect(loadSkos(file));
    const fromJsonLd = await collect(loadSkos(fixture("activity-list.jsonld")));
    const view = (rs: typeof fromRdf) => new Map(rs.map((r) => [r.id, r.names]));
    expect(fromRdf).toHaveLength(768);
    expect(view(fromRdf)).toEqual(view(fromJsonLd));
    expect(fromRdf.find((r) => r.names[0] === "Bowls")?.attributes).toMatchObject({
      source: "skos",
      notation: ["bowls"],
    });
  });
});

describe("JSON-LD labels and languages", () => {
  const file = join(dir, "languages.jsonld");
  // Constructed for the test (not real data): SKOS labels in several languages and a schema.org node.
  writeFileSync(
    file,
    JSON.stringify({
      "@context": { skos: SKOS, "@vocab": SKOS },
      "@graph": [
        {
          "@id": "urn:x:ball",
          "@type": "skos:Concept",
          prefLabel: [
            { "@value": "Ballon", "@language": "fr" },
            { "@value": "Ball", "@language": "en-GB" },
            { "@value": "Ball (untagged)" },
          ],
          altLabel: [
            { "@value": "Kugel", "@language": "de" },
            { "@value": "Sphere", "@language": "en" },
          ],
          hiddenLabel: "Bal",
          notation: "B1",
        },
        { "@id": "urn:x:only-german", prefLabel: { "@value": "Nur Deutsch", "@language": "de" } },
      ],
    }),
  );

  it("keeps untagged and English labels by default, preferred label first", async () => {
    const records = await collect(loadJsonLd(file));
    expect(records).toEqual([
      {
        id: "urn:x:ball",
        names: ["Ball (untagged)", "Ball", "Sphere", "Bal"],
        attributes: { source: "jsonld", types: [`${SKOS}Concept`], notation: ["B1"] },
      },
    ]);
  });

  it("keeps the languages asked for, in the order asked", async () => {
    const records = await collect(loadJsonLd(file, { languages: ["de", "fr"] }));
    expect(records.map((r) => [r.id, r.names, r.attributes?.language])).toEqual([
      ["urn:x:ball", ["Ballon", "Kugel"], "fr"],
      ["urn:x:only-german", ["Nur Deutsch"], "de"],
    ]);
    const all = await collect(loadJsonLd(file, { languages: ["en", "*"] }));
    expect(all[0].names).toEqual(["Ball", "Ballon", "Ball (untagged)", "Sphere", "Kugel", "Bal"]);
  });

  it("reads schema.org name and alternateName (bundled stand-in for the schema.org context)", async () => {
    const org = join(dir, "schema.jsonld");
    writeFileSync(
      org,
      JSON.stringify({
        "@context": "https://schema.org/",
        "@graph": [
          {
            "@type": "Drug",
            "@id": "urn:x:aspirin",
            name: "Aspirin",
            alternateName: ["acetylsalicylic acid", "ASA"],
          },
          { "@type": "Place", identifier: "place-1", name: "Somewhere" },
          { "@type": "Place", name: "No id" },
        ],
      }),
    );
    const records = await collect(loadJsonLd(org));
    expect(new Map(records.map((r) => [r.id, r.names]))).toEqual(
      new Map([
        ["urn:x:aspirin", ["Aspirin", "acetylsalicylic acid", "ASA"]],
        ["place-1", ["Somewhere"]],
      ]),
    );
  });
});

describe("JSON-LD errors", () => {
  it("an unknown remote context is refused offline, naming the URL and --context", async () => {
    const file = join(dir, "remote.jsonld");
    writeFileSync(file, JSON.stringify({ "@context": "https://example.org/ctx.jsonld", name: "x" }));
    const { error } = await failure(loadJsonLd(file));
    expect(error).toBeInstanceOf(OntologyFormatError);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_CONTEXT", file });
    expect((error as Error).message).toContain("https://example.org/ctx.jsonld");
    expect((error as Error).message).toContain("--context https://example.org/ctx.jsonld=FILE");
  });

  it("bad JSON is a syntax error with line and column", async () => {
    const file = join(dir, "bad.jsonld");
    writeFileSync(file, '{\n  "@context": {"@vocab": "https://schema.org/"},\n  "name": "a",,\n}\n');
    const { error } = await failure(loadJsonLd(file));
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_SYNTAX", line: 3, column: 15 });
  });

  it("a JSON document cut short is truncated", async () => {
    const file = join(dir, "cut.jsonld");
    const text = readFileSync(fixture("activity-list.jsonld"), "utf8");
    writeFileSync(file, text.slice(0, 100_000));
    const { error } = await failure(loadJsonLd(file));
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_TRUNCATED" });
    expect((error as OntologyFormatError).line).toBe(text.slice(0, 100_000).split("\n").length);
  });
});
