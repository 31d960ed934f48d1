import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMeshXml, loadOntology, OntologyFormatError } from "../../ontologies/index.js";
import { byId, collect, failure, fixture, meshSample, nameCount, tempDir } from "./helpers.js";

describe("MeSH XML, 2014 layout", () => {
  it("reads the 63 descriptors with their 440 terms and 97 tree numbers", async () => {
    const records = await collect(loadOntology(meshSample("desc2014-head.xml"), "mesh-xml"));
    expect(records).toHaveLength(63);
    expect(nameCount(records)).toBe(440);
    expect(records.flatMap((r) => r.attributes?.treeNumbers ?? [])).toHaveLength(97);
    expect(records[0]).toEqual({
      id: "D000001",
      names: ["Calcimycin", "A-23187", "A 23187", "Antibiotic A23187", "A23187, Antibiotic", "A23187"],
      attributes: { source: "mesh", type: "descriptor", language: "en", treeNumbers: ["D03.438.221.173"] },
    });
    for (const r of records) {
      expect(r.id).toMatch(/^D\d{6}$/);
      expect(new Set(r.names).size).toBe(r.names.length);
    }
  });

  it("reads supplementary records with their HeadingMappedTo descriptors, stars removed", async () => {
    const records = await collect(loadMeshXml(meshSample("supp2014-head.xml")));
    expect(records).toHaveLength(109);
    expect(nameCount(records)).toBe(205);
    expect(records[0]).toEqual({
      id: "C114158",
      names: ["quantum dye macrocyclic europium-chelate", "QD macrocyclic"],
      attributes: { source: "mesh", type: "supplementary", language: "en", mappedTo: ["D005063", "D009942"] },
    });
  });

  it("reads qualifiers with tree numbers and abbreviation", async () => {
    const records = await collect(loadMeshXml(meshSample("qual2014.xml")));
    expect(records).toHaveLength(83);
    expect(nameCount(records)).toBe(318);
    const q = byId(records).get("Q000002")!;
    expect(q.names[0]).toBe("abnormalities");
    expect(q.names).toEqual(expect.arrayContaining(["teratology", "birth defects", "congenital defects"]));
    expect(q.attributes).toMatchObject({
      type: "qualifier",
      treeNumbers: ["Y02.030.010"],
      abbreviation: "AB",
    });
  });

  it("gives the same records whatever the read buffer size (tags and entities split across chunks)", async () => {
    const whole = await collect(loadMeshXml(meshSample("desc2014-head.xml")));
    const tiny = await collect(loadMeshXml(meshSample("desc2014-head.xml"), { highWaterMark: 13 }));
    expect(tiny).toEqual(whole);
  });
});

describe("MeSH XML, later layout", () => {
  it("reads desc-samples.xml", async () => {
    const records = await collect(loadMeshXml(fixture("desc-samples.xml")));
    expect(records).toHaveLength(43);
    expect(nameCount(records)).toBe(308);
    expect(records[0].id).toBe("D000001");
    expect(records[0].names[0]).toBe("Calcimycin");
    expect(records[0].attributes?.treeNumbers).toEqual(["D03.438.221.173"]);
  });

  it("reads supp-samples.xml, mapped headings with qualifiers reduced to the descriptor", async () => {
    const records = await collect(loadMeshXml(fixture("supp-samples.xml")));
    expect(records).toHaveLength(19);
    expect(nameCount(records)).toBe(70);
    expect(records[0]).toEqual({
      id: "C025735",
      names: ["Aeron"],
      attributes: {
        source: "mesh",
        type: "supplementary",
        language: "en",
        mappedTo: ["D001286", "D002164", "D004338", "D012602"],
      },
    });
  });
});

describe("MeSH XML errors", () => {
  const dir = tempDir();
  const desc = readFileSync(meshSample("desc2014-head.xml"), "utf8");

  it("a file cut in the middle of a record is truncated, with the record reached", async () => {
    const cut = desc.indexOf("<DescriptorUI>D000002</DescriptorUI>") + 300;
    const file = join(dir, "cut.xml");
    writeFileSync(file, desc.slice(0, cut));
    const { error, yielded } = await failure(loadMeshXml(file));
    expect(yielded).toBe(1);
    expect(error).toBeInstanceOf(OntologyFormatError);
    const e = error as OntologyFormatError;
    expect(e.code).toBe("SODA_ERR_ONTOLOGY_TRUNCATED");
    expect(e.file).toBe(file);
    expect(e.record).toBe(1);
    expect(e.recordId).toBe("D000002");
    expect(e.line).toBe(desc.slice(0, cut).split("\n").length);
    expect(e.message).toContain("truncated");
  });

  it("malformed XML is a syntax error at its line", async () => {
    const lines = desc.split("\n");
    const at = lines.findIndex((l) => l.includes("<String>A-23187</String>"));
    lines[at] = lines[at].replace("</String>", "</Strin>");
    const file = join(dir, "bad.xml");
    writeFileSync(file, lines.join("\n"));
    const { error, yielded } = await failure(loadMeshXml(file));
    expect(yielded).toBe(0);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_SYNTAX", line: at + 1, recordId: "D000001" });
  });

  it("a record without its UI is a missing field", async () => {
    const file = join(dir, "no-ui.xml");
    writeFileSync(file, desc.replace("<DescriptorUI>D000002</DescriptorUI>", ""));
    const { error, yielded } = await failure(loadMeshXml(file));
    expect(yielded).toBe(1);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_MISSING_FIELD", record: 1 });
    expect((error as Error).message).toContain("DescriptorUI");
  });

  it("another XML vocabulary is refused", async () => {
    const file = join(dir, "other.xml");
    writeFileSync(file, '<?xml version="1.0"?>\n<PubmedArticleSet></PubmedArticleSet>\n');
    const { error } = await failure(loadMeshXml(file));
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_UNSUPPORTED", line: 2 });
  });
});
