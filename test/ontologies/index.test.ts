import { describe, expect, it } from "vitest";
import {
  guessOntologyFormat,
  loadOntology,
  ONTOLOGY_FORMATS,
  type OntologyFormat,
  OntologyFormatError,
} from "../../ontologies/index.js";
import { collect, fixture, meshSample } from "./helpers.js";

describe("loadOntology", () => {
  it("dispatches on the format", async () => {
    const cases: [string, OntologyFormat, string][] = [
      [meshSample("qual2014.xml"), "mesh-xml", "Q000002"],
      [meshSample("qual2014.nt"), "mesh-rdf", "Q000002"],
      [
        fixture("collection-holistic.jsonld"),
        "jsonld",
        "https://openactive.io/activity-list/collections/holistic.jsonld",
      ],
      [
        fixture("collection-holistic.jsonld"),
        "skos",
        "https://openactive.io/activity-list/collections/holistic.jsonld",
      ],
      [fixture("rex-excerpt.obo"), "obo", "REX:0000000"],
    ];
    for (const [file, format, firstId] of cases) {
      const records = await collect(loadOntology(file, format));
      expect(records[0].id, `${format} ${file}`).toBe(firstId);
    }
  });

  it("refuses an unknown format", () => {
    expect(() => loadOntology("x", "csv" as OntologyFormat)).toThrow(/unknown ontology format "csv"/);
  });

  it("passes I/O errors through", async () => {
    await expect(collect(loadOntology(fixture("missing.obo"), "obo"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it("guesses formats from file names", () => {
    expect(guessOntologyFormat("data/desc2024.xml")).toBe("mesh-xml");
    expect(guessOntologyFormat("mesh.nt")).toBe("mesh-rdf");
    expect(guessOntologyFormat("vocab.ttl")).toBe("skos");
    expect(guessOntologyFormat("activity-list.jsonld")).toBe("jsonld");
    expect(guessOntologyFormat("go.obo")).toBe("obo");
    expect(guessOntologyFormat("countries.tsv")).toBe("tsv");
    expect(guessOntologyFormat("x.csv")).toBeUndefined();
    expect(ONTOLOGY_FORMATS).toHaveLength(6);
  });
});

describe("OntologyFormatError", () => {
  it("carries code, file and position, and says them in the message", () => {
    const e = new OntologyFormatError("SODA_ERR_ONTOLOGY_SYNTAX", "f.xml", "bad tag", {
      line: 3,
      column: 7,
      record: 2,
      recordId: "D1",
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("OntologyFormatError");
    expect(e).toMatchObject({
      code: "SODA_ERR_ONTOLOGY_SYNTAX",
      file: "f.xml",
      line: 3,
      column: 7,
      record: 2,
      recordId: "D1",
    });
    expect(e.message).toBe("f.xml:3:7: bad tag (after 2 records, in record D1)");
  });
});
