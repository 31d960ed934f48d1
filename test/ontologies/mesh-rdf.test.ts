import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMeshRdf, loadMeshXml, loadOntology, type OntologyRecord } from "../../ontologies/index.js";
import { byId, collect, failure, fixture, meshSample, nameCount, tempDir } from "./helpers.js";

/** What must agree between the XML and the RDF of the same records. */
function comparable(records: OntologyRecord[]) {
  return new Map(
    records.map((r) => [
      r.id,
      {
        preferred: r.names[0],
        names: [...r.names].sort(),
        type: r.attributes?.type,
        treeNumbers: [...(r.attributes?.treeNumbers ?? [])].sort(),
        mappedTo: [...(r.attributes?.mappedTo ?? [])].sort(),
      },
    ]),
  );
}

describe("MeSH RDF, 2014 vocabulary: the same entities as the XML", () => {
  for (const [name, count, names] of [
    ["desc2014-head", 63, 440],
    ["supp2014-head", 109, 205],
    ["qual2014", 83, 318],
  ] as const) {
    it(`${name}: XML and N-Triples give the same ids, names, tree numbers and mappings`, async () => {
      const xml = await collect(loadMeshXml(meshSample(`${name}.xml`)));
      const nt = await collect(loadOntology(meshSample(`${name}.nt`), "mesh-rdf"));
      expect(nt).toHaveLength(count);
      expect(nameCount(nt)).toBe(names);
      expect([...comparable(nt).keys()].sort()).toEqual([...comparable(xml).keys()].sort());
      expect(comparable(nt)).toEqual(comparable(xml));
    });
  }

  it("reads a descriptor's concepts and terms through mesh:concept and mesh:term", async () => {
    const d = byId(await collect(loadMeshRdf(meshSample("desc2014-head.nt")))).get("D000001")!;
    expect(d.names[0]).toBe("Calcimycin");
    expect(new Set(d.names)).toEqual(
      new Set(["Calcimycin", "A-23187", "A 23187", "Antibiotic A23187", "A23187, Antibiotic", "A23187"]),
    );
    expect(d.attributes).toEqual({ source: "mesh", type: "descriptor", treeNumbers: ["D03.438.221.173"] });
  });

  it("reads the same file as Turtle (a superset of N-Triples) with the same result", async () => {
    const nt = await collect(loadMeshRdf(meshSample("qual2014.nt")));
    const ttl = await collect(
      loadMeshRdf(meshSample("qual2014.nt"), { rdfSyntax: "Turtle", highWaterMark: 1000 }),
    );
    expect(ttl).toEqual(nt);
  });
});

describe("MeSH RDF, today's meshv: vocabulary", () => {
  it("reads record types, labels with language tags, tree numbers as resources and mappings", async () => {
    const records = await collect(loadMeshRdf(fixture("meshv-samples.nt")));
    expect(records.map((r) => r.id)).toEqual(["C003820", "C005195", "D005858", "D006321", "D016421"]);
    const m = byId(records);
    expect(m.get("C003820")).toEqual({
      id: "C003820",
      names: ["Z 4000"],
      attributes: { source: "mesh", type: "supplementary", language: "en", mappedTo: ["D004338", "D006896"] },
    });
    expect(m.get("C005195")?.names).toEqual([
      "methampicillin",
      "methampicillin, sodium salt",
      "Metakes",
      "Serfabiotic",
    ]);
    expect(m.get("C005195")?.attributes?.mappedTo).toEqual(["D000667"]);
    expect(m.get("D005858")?.attributes).toEqual({
      source: "mesh",
      type: "descriptor",
      language: "en",
      treeNumbers: ["Z01.542.315", "Z01.586.315"],
    });
    expect(m.get("D006321")).toMatchObject({ names: ["Heart"], attributes: { treeNumbers: ["A07.541"] } });
    expect(m.get("D016421")?.names).toEqual(["Editorial"]);
  });

  it("follows preferredConcept, preferredTerm, term and prefLabel/altLabel, and filters languages", async () => {
    // A constructed graph in the shape of today's MeSH RDF (not NLM data): one descriptor, two concepts,
    // terms with prefLabel and altLabel, a label in French.
    const dir = tempDir();
    const file = join(dir, "shape.ttl");
    writeFileSync(
      file,
      `@prefix mesh: <http://id.nlm.nih.gov/mesh/> .
@prefix meshv: <http://id.nlm.nih.gov/mesh/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
mesh:D900001 a meshv:TopicalDescriptor ; rdfs:label "Alpha"@en, "Alpha-fr"@fr ;
  meshv:concept mesh:M900002 ; meshv:preferredConcept mesh:M900001 ; meshv:treeNumber mesh:A01.001 .
mesh:M900001 a meshv:Concept ; meshv:preferredTerm mesh:T900001 ; meshv:term mesh:T900002 .
mesh:M900002 a meshv:Concept ; meshv:preferredTerm mesh:T900003 .
mesh:T900001 a meshv:Term ; meshv:prefLabel "Alpha"@en .
mesh:T900002 a meshv:Term ; meshv:prefLabel "Alpha one"@en ; meshv:altLabel "One, Alpha"@en .
mesh:T900003 a meshv:Term ; meshv:prefLabel "Beta"@en ; meshv:altLabel "Bêta"@fr .
`,
    );
    const [d] = await collect(loadMeshRdf(file));
    expect(d).toEqual({
      id: "D900001",
      names: ["Alpha", "Alpha one", "One, Alpha", "Beta"],
      attributes: { source: "mesh", type: "descriptor", language: "en", treeNumbers: ["A01.001"] },
    });
    const [fr] = await collect(loadMeshRdf(file, { languages: ["fr", "en"] }));
    expect(fr.names).toEqual(["Alpha-fr", "Alpha", "Alpha one", "One, Alpha", "Beta", "Bêta"]);
    expect(fr.attributes?.language).toBe("fr");
  });
});

describe("MeSH RDF errors", () => {
  const dir = tempDir();
  const nt = readFileSync(meshSample("desc2014-head.nt"), "utf8");

  it("an N-Triples line cut at the end of the file is truncated, with its line", async () => {
    const lines = nt.split("\n");
    const cut = `${lines.slice(0, 100).join("\n")}\n${lines[100].slice(0, 60)}`;
    const file = join(dir, "cut.nt");
    writeFileSync(file, cut);
    const { error, yielded } = await failure(loadMeshRdf(file));
    expect(yielded).toBe(0);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_TRUNCATED", file, line: 101 });
  });

  it("a malformed line in the middle is a syntax error at that line", async () => {
    const lines = nt.split("\n");
    lines[41] = lines[41].replace(/ \.$/, "");
    const file = join(dir, "bad.nt");
    writeFileSync(file, lines.join("\n"));
    const { error } = await failure(loadMeshRdf(file));
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_SYNTAX" });
    expect((error as { line: number }).line).toBeGreaterThanOrEqual(42);
    expect((error as { line: number }).line).toBeLessThanOrEqual(43);
  });
});
