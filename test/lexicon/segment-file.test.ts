import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileLexicon, compileNames } from "../../src/annotate/lexicon.js";
import {
  EntitiesBuilder,
  EntityTable,
  encodeEntities,
  encodeMode,
  readSegment,
} from "../../src/lexicon/segment-file.js";

describe("readSegment", () => {
  it("checksums as it reads: true for an intact file, false for a damaged one", () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-segfile-"));
    const ent = encodeEntities(Array.from({ length: 5000 }, (_, i) => ({ id: `e${i}`, names: [`n ${i}`] })));
    writeFileSync(join(dir, "ok.ent"), ent);
    const read = readSegment(join(dir, "ok.ent"));
    expect(read.checked).toBe(true);
    expect(Buffer.from(read.bytes).equals(Buffer.from(ent))).toBe(true);
    ent[100] ^= 1;
    writeFileSync(join(dir, "bad.ent"), ent);
    expect(readSegment(join(dir, "bad.ent")).checked).toBe(false);
  });
});

describe("EntitiesBuilder", () => {
  it("spilled to files, builds the same bytes as in memory (non-ASCII, long strings) and removes them", () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-spill-"));
    const long = "x".repeat(3 << 20);
    const entries = Array.from({ length: 300_000 }, (_, i) => ({
      id: i % 7 === 0 ? `é${i}` : `e${i}`,
      names:
        i === 12_345
          ? [long, `😀 ${i}`]
          : i % 3 === 0
            ? []
            : [`name ${i}`, `Ñame ${i}`.slice(0, 1 + (i % 9))],
    }));
    const spilled = new EntitiesBuilder(join(dir, "1.ent.spill"));
    for (const e of entries) spilled.add(e.id, e.names);
    expect(readdirSync(dir)).toHaveLength(5);
    const bytes = spilled.finish();
    expect(readdirSync(dir)).toHaveLength(0);
    expect(Buffer.from(bytes).equals(Buffer.from(encodeEntities(entries)))).toBe(true);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const table = new EntityTable(bytes);
    expect(table.entry(12_345)).toEqual(entries[12_345]);
    expect(table.entry(299_999)).toEqual(entries[299_999]);
    const dropped = new EntitiesBuilder(join(dir, "2.ent.spill"));
    dropped.add("a", ["b"]);
    dropped.discard();
    dropped.discard();
    expect(readdirSync(dir)).toHaveLength(0);
  });
});

describe("compileNames over an entities table", () => {
  it("compiles the same mode files as compileLexicon over the entries", () => {
    const entries = [
      ...Array.from({ length: 3000 }, (_, i) => ({ id: `e${i}`, names: [`Name ${i % 700}`, `Náme ${i}`] })),
      { id: "dup", names: ["Foo", "foo", "FOO", "the"] },
      { id: "none", names: [] },
      { id: "other", names: ["foo"] },
    ];
    const table = new EntityTable(encodeEntities(entries));
    for (const mode of ["exact", "lower"] as const) {
      const a = encodeMode(compileLexicon(entries, mode));
      const b = encodeMode(compileNames(table, mode));
      expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    }
  });
});
