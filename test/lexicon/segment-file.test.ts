import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeEntities, readSegment } from "../../src/lexicon/segment-file.js";

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
