import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadObo, loadOntology } from "../../ontologies/index.js";
import { byId, collect, failure, fixture, nameCount, tempDir } from "./helpers.js";

describe("OBO: ChEBI excerpt", () => {
  it("reads the 179 current terms, skipping obsolete terms and Typedefs", async () => {
    const records = await collect(loadOntology(fixture("chebi-excerpt.obo"), "obo"));
    expect(records).toHaveLength(179);
    expect(nameCount(records)).toBe(1055);
    const ids = new Set(records.map((r) => r.id));
    expect(ids.has("CHEBI:27189")).toBe(false); // is_obsolete: true
    expect(ids.has("has_role")).toBe(false); // [Typedef]
    expect(records.every((r) => r.id.startsWith("CHEBI:"))).toBe(true);
    expect(records[0]).toEqual({
      id: "CHEBI:24431",
      names: ["chemical entity"],
      attributes: { source: "obo", namespace: "chebi_ontology" },
    });
  });

  it("keeps EXACT and RELATED synonyms by default, name first, duplicates removed", async () => {
    const m = byId(await collect(loadObo(fixture("chebi-excerpt.obo"))));
    expect(m.get("CHEBI:23367")?.names).toEqual([
      "molecular entity",
      "entidades moleculares",
      "molekulare Entitaet",
      "entidad molecular",
      "entite moleculaire",
      "molecular entities",
    ]);
  });

  it("filters by scope", async () => {
    const exact = await collect(loadObo(fixture("chebi-excerpt.obo"), { scopes: ["EXACT"] }));
    expect(exact).toHaveLength(179);
    expect(nameCount(exact)).toBe(360);
    expect(byId(exact).get("CHEBI:23367")?.names).toEqual(["molecular entity"]);
  });

  it("leaves structure notations (FORMULA, SMILES, InChI, InChIKey) out unless asked", async () => {
    const defaults = byId(await collect(loadObo(fixture("chebi-excerpt.obo"))));
    const all = byId(
      await collect(
        loadObo(fixture("chebi-excerpt.obo"), {
          scopes: ["EXACT", "RELATED", "BROAD", "NARROW"],
          excludeSynonymTypes: [],
        }),
      ),
    );
    expect(defaults.get("CHEBI:33429")?.names).toEqual(["monoatomic monoanion", "monoatomic monoanions"]);
    expect(all.get("CHEBI:33429")?.names).toEqual([
      "monoatomic monoanion",
      "monoatomic monoanions",
      ".",
      "[*-]",
    ]);
    expect(nameCount([...all.values()])).toBe(1777);
  });
});

describe("OBO 1.0: REX excerpt", () => {
  it("reads synonyms without scope as RELATED and decodes escapes", async () => {
    const records = await collect(loadObo(fixture("rex-excerpt.obo")));
    expect(records).toHaveLength(33);
    const m = byId(records);
    expect(m.get("REX:0000001")).toEqual({
      id: "REX:0000001",
      names: ["process", "physico-chemical process"],
      attributes: { source: "obo", namespace: "rex.obo" },
    });
    const exactOnly = byId(await collect(loadObo(fixture("rex-excerpt.obo"), { scopes: ["EXACT"] })));
    expect(exactOnly.get("REX:0000001")?.names).toEqual(["process"]);
  });
});

describe("OBO scopes and syntax", () => {
  const dir = tempDir();
  // Constructed for the test (not real data): every scope, a typed synonym, escapes, old-style tags.
  const file = join(dir, "scopes.obo");
  writeFileSync(
    file,
    `format-version: 1.2
default-namespace: test

[Term]
id: T:1
name: heart attack ! a comment
synonym: "myocardial infarction" EXACT []
synonym: "cardiac event" BROAD []
synonym: "anterior wall infarction" NARROW []
synonym: "MI" RELATED ABBREVIATION [PMID:1]
synonym: "the \\"big\\" one" RELATED [] {source="x"}
exact_synonym: "coronary" []
namespace: disease
`,
  );

  it("default scopes: EXACT and RELATED (and OBO 1.0 exact_synonym)", async () => {
    const [r] = await collect(loadObo(file));
    expect(r).toEqual({
      id: "T:1",
      names: ["heart attack", "myocardial infarction", "MI", 'the "big" one', "coronary"],
      attributes: { source: "obo", namespace: "disease" },
    });
  });

  it("scope and type options", async () => {
    const [broad] = await collect(loadObo(file, { scopes: ["BROAD", "NARROW"] }));
    expect(broad.names).toEqual(["heart attack", "cardiac event", "anterior wall infarction"]);
    const [noAbbrev] = await collect(loadObo(file, { excludeSynonymTypes: ["abbreviation"] }));
    expect(noAbbrev.names).not.toContain("MI");
  });
});

describe("OBO errors", () => {
  const dir = tempDir();
  const chebi = readFileSync(fixture("chebi-excerpt.obo"), "utf8");

  it("a [Term] stanza without id is a missing field at the stanza's line", async () => {
    const lines = chebi.split("\n");
    const at = lines.indexOf("id: CHEBI:23367");
    lines.splice(at, 1);
    const file = join(dir, "no-id.obo");
    writeFileSync(file, lines.join("\n"));
    const { error, yielded } = await failure(loadObo(file));
    expect(yielded).toBe(1);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_MISSING_FIELD", file, line: at, record: 1 });
    expect((error as Error).message).toContain("molecular entity");
  });

  it("a synonym cut off on the last line is truncated; the same line inside the file is a syntax error", async () => {
    const lines = chebi.split("\n");
    const at = lines.findIndex((l) => l.startsWith('synonym: "entidades moleculares"'));
    const cut = join(dir, "cut.obo");
    writeFileSync(cut, `${lines.slice(0, at).join("\n")}\n${lines[at].slice(0, 20)}`);
    expect((await failure(loadObo(cut))).error).toMatchObject({
      code: "SODA_ERR_ONTOLOGY_TRUNCATED",
      line: at + 1,
    });
    lines[at] = lines[at].slice(0, 20);
    const bad = join(dir, "bad.obo");
    writeFileSync(bad, lines.join("\n"));
    expect((await failure(loadObo(bad))).error).toMatchObject({
      code: "SODA_ERR_ONTOLOGY_SYNTAX",
      line: at + 1,
      recordId: "CHEBI:23367",
    });
  });
});
