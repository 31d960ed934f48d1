import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lexicon } from "../../src/annotate/lexicon.js";
import { Prefetcher } from "../../src/lexicon/prefetch.js";
import { decodeMode, encodeEntities, encodeMode, readSegment } from "../../src/lexicon/segment-file.js";

describe("Prefetcher", () => {
  it("hands over files whose checksum matches, once; not corrupt, missing or unlisted ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-prefetch-"));
    const lexicon = new Lexicon("l", [{ id: "1", names: ["Crohn Disease"] }]);
    const good = encodeMode(lexicon.forMode("lower"));
    const bad = good.slice();
    bad[bad.length - 1] ^= 1;
    writeFileSync(join(dir, "good"), good);
    writeFileSync(join(dir, "bad"), bad);
    writeFileSync(join(dir, "short"), good.subarray(0, 10));
    const p = new Prefetcher(["good", "bad", "short", "missing"].map((f) => join(dir, f)));
    await p.done;
    const bytes = p.take(join(dir, "good"));
    expect(bytes && Buffer.from(bytes).equals(Buffer.from(good))).toBe(true);
    expect(bytes?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(decodeMode(bytes!, "good", true).mode).toBe("lower");
    expect(p.take(join(dir, "good"))).toBeUndefined();
    for (const f of ["bad", "short", "missing", "other"]) expect(p.take(join(dir, f))).toBeUndefined();
    p.close();
  });

  it("lets the caller read a file itself when the helper has not started on it yet", () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-prefetch-"));
    const files = Array.from({ length: 50 }, (_, i) => join(dir, `f${i}`));
    for (const f of files) writeFileSync(f, encodeEntities([{ id: "x", names: ["y"] }]));
    const p = new Prefetcher(files);
    // Taken at once, most are still waiting: those come back undefined (read them yourself), the others
    // whole; none is lost or half read.
    for (const f of files.reverse()) {
      const bytes = p.take(f);
      if (bytes) expect(readSegment(f).bytes).toEqual(bytes);
    }
    p.close();
  });
});

describe("readSegment", () => {
  it("checksums as it reads: true for an intact file, false for a damaged one", () => {
    const dir = mkdtempSync(join(tmpdir(), "soda-prefetch-"));
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
