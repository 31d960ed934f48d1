import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOntology, loadTsv } from "../../ontologies/index.js";
import { byId, collect, failure, nameCount, tempDir } from "./helpers.js";

const COUNTRIES = new URL("../../ontologies/samples/countries.tsv", import.meta.url).pathname;

describe("TSV (SoDA bulk format)", () => {
  it("reads the countries sample", async () => {
    const records = await collect(loadOntology(COUNTRIES, "tsv"));
    expect(records).toHaveLength(249);
    expect(nameCount(records)).toBeGreaterThan(249);
    expect(byId(records).get("AD")).toEqual({
      id: "AD",
      names: ["Andorra", "Principality of Andorra"],
      attributes: { source: "tsv" },
    });
  });

  const dir = tempDir();

  it("splits on | and ::, trims, drops empty and duplicate names, skips comments and blank lines", async () => {
    const file = join(dir, "names.tsv");
    writeFileSync(file, "# comment\nD1\tasthma :: bronchial asthma| asthma ||\n\nD2\tcough\r\nD3\t\n");
    expect(await collect(loadTsv(file))).toEqual([
      { id: "D1", names: ["asthma", "bronchial asthma"], attributes: { source: "tsv" } },
      { id: "D2", names: ["cough"], attributes: { source: "tsv" } },
      { id: "D3", names: [], attributes: { source: "tsv" } },
    ]);
  });

  it("a line without a tab is a missing field at its line", async () => {
    const file = join(dir, "bad.tsv");
    writeFileSync(file, "D1\tasthma\nD2 cough\n");
    const { error, yielded } = await failure(loadTsv(file));
    expect(yielded).toBe(1);
    expect(error).toMatchObject({ code: "SODA_ERR_ONTOLOGY_MISSING_FIELD", file, line: 2, record: 1 });
    expect((error as Error).message).toBe(
      `${file}:2: no tab after the id; expected "id<TAB>name|name|…" (after 1 record)`,
    );
  });
});
