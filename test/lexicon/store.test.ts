import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Annotator } from "../../src/annotate/annotator.js";
import { LexiconStore, StoreError } from "../../src/lexicon/store.js";

const tmp = () => mkdtempSync(join(tmpdir(), "soda-store-"));
const annotator = new Annotator();

function tag(
  store: LexiconStore,
  lexicon: string,
  text: string,
  matching: "lower" | "exact" | "stem3" = "lower",
) {
  const lex = store.lexicon(lexicon);
  if (!lex) return [];
  return annotator.annotate(text, [lex], { matching }).map((a) => `${a.id}:${a.coveredText}`);
}

describe("LexiconStore", () => {
  it("stages entries until a commit, then serves them", () => {
    const store = LexiconStore.open(tmp());
    store.add("mesh", [{ id: "D1", names: ["Anemia"] }]);
    expect(tag(store, "mesh", "anemia")).toEqual([]);
    expect(store.list()).toEqual([{ lexicon: "mesh", count: 0, staged: 1 }]);
    expect(store.commit("mesh")).toBe(1);
    expect(tag(store, "mesh", "anemia")).toEqual(["D1:anemia"]);
    expect(store.commit("mesh")).toBe(0);
    store.close();
  });

  it("upserts by id: the old names stop matching", () => {
    const store = LexiconStore.open(tmp());
    store.add("l", [{ id: "x", names: ["old name"] }], { commit: true });
    store.add("l", [{ id: "x", names: ["new name"], attributes: { source: "test" } }], { commit: true });
    expect(tag(store, "l", "old name and new name")).toEqual(["x:new name"]);
    expect(store.lookup("l", "x")).toEqual([
      { id: "x", names: ["new name"], attributes: { source: "test" } },
    ]);
    expect(store.list()[0].count).toBe(1);
    store.close();
  });

  it("deletes by id at once, scoped to the lexicon", () => {
    const store = LexiconStore.open(tmp());
    store.add("a", [{ id: "1", names: ["paris"] }], { commit: true });
    store.add("b", [{ id: "1", names: ["paris"] }], { commit: true });
    expect(store.delete("a", "1")).toBe(true);
    expect(tag(store, "a", "paris")).toEqual([]);
    expect(tag(store, "b", "paris")).toEqual(["1:paris"]);
    expect(store.delete("a", "1")).toBe(false);
    expect(() => store.delete("nope", "1")).toThrow(StoreError);
    expect(store.deleteLexicon("b")).toBe(true);
    expect(store.lexicon("b")).toBeUndefined();
    expect(store.names()).toEqual(["a"]);
    store.close();
  });

  it("pages through a lexicon with keyset paging", () => {
    const store = LexiconStore.open(tmp());
    store.add(
      "l",
      Array.from({ length: 25 }, (_, i) => ({ id: `id${String(i).padStart(2, "0")}`, names: [`n${i}`] })),
      {
        commit: true,
      },
    );
    const page1 = store.lookup("l", "*", { limit: 10 });
    const page2 = store.lookup("l", "*", { limit: 10, after: page1.at(-1)!.id });
    const page3 = store.lookup("l", "*", { limit: 10, after: page2.at(-1)!.id });
    expect([...page1, ...page2, ...page3].map((e) => e.id)).toEqual(
      Array.from({ length: 25 }, (_, i) => `id${String(i).padStart(2, "0")}`),
    );
    expect(page3).toHaveLength(5);
  });

  it("rejects bad lexicon names and entries with a code and a remedy", () => {
    const store = LexiconStore.open(tmp());
    expect(() => store.add("../etc", [])).toThrow(/invalid lexicon name/);
    expect(() => store.add("l", [{ id: "", names: [] }])).toThrow(/non-empty string id/);
    expect(() => store.add("l", [{ id: "a", names: [3 as unknown as string] }])).toThrow(/array of strings/);
    store.close();
  });

  it("serves after a restart without recompiling, and rebuilds a corrupt segment", () => {
    const dir = tmp();
    let store = LexiconStore.open(dir);
    store.add("l", [{ id: "1", names: ["Crohn Disease"] }], { commit: true });
    expect(tag(store, "l", "crohn's disease", "stem3")).toEqual(["1:crohn's disease"]);
    store.add("l", [{ id: "2", names: ["Anemia"] }], { commit: true });
    store.close();
    const segDir = join(dir, "segments", "l");
    const files = readdirSync(segDir).sort();
    expect(files).toEqual(["1.ent", "1.stem3.fst", "2.ent", "2.stem3.fst"]);
    const before = files.map((f) => readFileSync(join(segDir, f)));
    store = LexiconStore.open(dir);
    expect(tag(store, "l", "Crohn disease; anemias", "stem3")).toEqual(["1:Crohn disease", "2:anemias"]);
    expect(
      readdirSync(segDir)
        .sort()
        .map((f) => readFileSync(join(segDir, f))),
    ).toEqual(before);
    store.close();

    // Damage one byte of each file kind, and leave debris of a crashed write.
    const ent = readFileSync(join(segDir, "1.ent"));
    ent[ent.length - 1] ^= 0xff;
    writeFileSync(join(segDir, "1.ent"), ent);
    const fst = readFileSync(join(segDir, "2.stem3.fst"));
    fst[40] ^= 0x01;
    writeFileSync(join(segDir, "2.stem3.fst"), fst);
    writeFileSync(join(segDir, "3.ent.tmp"), "partial");
    writeFileSync(join(segDir, "9.ent"), "unregistered");
    const logs: string[] = [];
    store = LexiconStore.open(dir, { log: (m) => logs.push(m) });
    expect(tag(store, "l", "Crohn disease; anemias", "stem3")).toEqual(["1:Crohn disease", "2:anemias"]);
    expect(logs.join("\n")).toMatch(/1\.ent is unusable \(checksum mismatch\)/);
    expect(logs.join("\n")).toMatch(/2\.stem3\.fst is unusable/);
    expect(existsSync(join(segDir, "3.ent.tmp"))).toBe(false);
    expect(existsSync(join(segDir, "9.ent"))).toBe(false);
    store.close();
  });

  it("merges segments in the background without resurrecting deleted or replaced entities", async () => {
    const store = LexiconStore.open(tmp(), { maxSegments: 4 });
    for (let i = 0; i < 20; i++) {
      store.add("l", [{ id: `e${i}`, names: [`entity ${i}`] }], { commit: true });
      // Deletes and updates land while merges run on their worker thread.
      if (i % 3 === 0) store.delete("l", `e${i}`);
      if (i % 5 === 1) store.add("l", [{ id: `e${i}`, names: [`renamed ${i}`] }], { commit: true });
      tag(store, "l", "x");
      if (i % 7 === 6) await new Promise((r) => setTimeout(r, 20));
    }
    await store.idle();
    store.merge("l");
    expect(store.segmentsOf("l").length).toBeLessThanOrEqual(4);
    const text = Array.from({ length: 20 }, (_, i) => `entity ${i}; renamed ${i}.`).join(" ");
    // Deleted when i % 3 === 0, unless re-added (renamed) afterwards when i % 5 === 1.
    const expected = Array.from({ length: 20 }, (_, i) => i)
      .filter((i) => i % 3 !== 0 || i % 5 === 1)
      .map((i) => (i % 5 === 1 ? `e${i}:renamed ${i}` : `e${i}:entity ${i}`));
    expect(tag(store, "l", text)).toEqual(expected);
    expect(store.list()[0].count).toBe(expected.length);
    store.close();
  });

  it("an entity deleted or updated while a background merge runs stays dead in the merged segment", async () => {
    const dir = tmp();
    const store = LexiconStore.open(dir, { maxSegments: 100 });
    for (let i = 0; i < 4; i++) store.add("l", [{ id: `e${i}`, names: [`entity ${i}`] }], { commit: true });
    tag(store, "l", "x");
    const merging = store.mergeInBackground("l");
    store.delete("l", "e1");
    store.add("l", [{ id: "e2", names: ["renamed 2"] }], { commit: true });
    await merging;
    const text = "entity 0, entity 1, entity 2, renamed 2, entity 3";
    const expected = ["e0:entity 0", "e2:renamed 2", "e3:entity 3"];
    expect(tag(store, "l", text)).toEqual(expected);
    expect(store.segmentsOf("l").length).toBeLessThan(5);
    store.close();
    const reopened = LexiconStore.open(dir);
    expect(tag(reopened, "l", text)).toEqual(expected);
    reopened.close();
  });

  it("survives kill -9 at any moment: every acknowledged commit is served, staged entries are kept", async () => {
    for (const delay of [80, 250, 600]) {
      const dir = tmp();
      const child = spawn(
        process.execPath,
        [new URL("./crash-loader.mjs", import.meta.url).pathname, dir, "400"],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const acked = out.split("\n").filter((l) => l.startsWith("ack ")).length;
      const store = LexiconStore.open(dir);
      const count = store.list().find((l) => l.lexicon === "crash")?.count ?? 0;
      // Each acknowledged batch committed 51 entries (50 + the staged one); an unacknowledged commit may
      // have landed too (killed after the transaction, before the ack).
      expect(count).toBeGreaterThanOrEqual(acked * 51);
      expect(count % 51).toBe(0);
      for (let b = 0; b < acked; b++) {
        expect(tag(store, "crash", `name ${b * 50 + 7}`)).toEqual([`e${b * 50 + 7}:name ${b * 50 + 7}`]);
        expect(tag(store, "crash", `staged ${b}`)).toEqual([`staged${b}:staged ${b}`]);
      }
      // What was staged but not committed survives, and lands with the next commit.
      const staged = store.list().find((l) => l.lexicon === "crash")?.staged ?? 0;
      if (store.lexicon("crash")) store.commit("crash");
      expect(store.list().find((l) => l.lexicon === "crash")?.count ?? 0).toBe(count + staged);
      store.close();
    }
  });

  describe("bulk loads", () => {
    it("loads straight into an empty lexicon: one segment, served at once, no staging", () => {
      const dir = tmp();
      let store = LexiconStore.open(dir);
      const n = store.bulkLoad(
        "l",
        Array.from({ length: 250 }, (_, i) => ({ id: `e${i}`, names: [`name ${i}`, `alias ${i}`] })),
      );
      expect(n).toBe(250);
      expect(store.list()).toEqual([{ lexicon: "l", count: 250, staged: 0 }]);
      expect(store.segmentsOf("l")).toEqual([{ seq: 1, docs: 250, live: 250 }]);
      expect(tag(store, "l", "name 7 and alias 249")).toEqual(["e7:name 7", "e249:alias 249"]);
      store.close();
      store = LexiconStore.open(dir);
      expect(tag(store, "l", "alias 120")).toEqual(["e120:alias 120"]);
      expect(store.lookup("l", "e3")).toEqual([{ id: "e3", names: ["name 3", "alias 3"] }]);
      store.close();
    });

    it("is an upsert: an id given twice or already committed keeps its last version only", () => {
      const store = LexiconStore.open(tmp());
      store.add("l", [{ id: "old", names: ["old name"] }], { commit: true });
      tag(store, "l", "x", "exact");
      const bulk = store.beginBulk("l");
      bulk.add([
        { id: "a", names: ["first a"] },
        { id: "old", names: ["new name"], attributes: { source: "bulk" } },
      ]);
      bulk.add([{ id: "a", names: ["second a"] }]);
      expect(bulk.finish()).toBe(3);
      expect(tag(store, "l", "old name, new name, first a, second a")).toEqual([
        "old:new name",
        "a:second a",
      ]);
      expect(tag(store, "l", "second a", "exact")).toEqual(["a:second a"]);
      expect(store.lookup("l", "old")).toEqual([
        { id: "old", names: ["new name"], attributes: { source: "bulk" } },
      ]);
      expect(store.list()).toEqual([{ lexicon: "l", count: 2, staged: 0 }]);
      store.close();
    });

    it("is all or nothing: an abort or a bad entry leaves the lexicon as it was", () => {
      const dir = tmp();
      const store = LexiconStore.open(dir);
      store.add("l", [{ id: "k", names: ["kept"] }], { commit: true });
      const bulk = store.beginBulk("l");
      bulk.add(Array.from({ length: 150 }, (_, i) => ({ id: `e${i}`, names: [`name ${i}`] })));
      expect(() => store.add("l", [{ id: "x", names: ["x"] }])).toThrow(/bulk load into "l" is running/);
      bulk.abort();
      expect(() =>
        store.bulkLoad("l", [
          { id: "e1", names: ["one"] },
          { id: "", names: ["bad"] },
        ]),
      ).toThrow(/non-empty string id/);
      expect(store.list()).toEqual([{ lexicon: "l", count: 1, staged: 0 }]);
      expect(tag(store, "l", "kept, name 3, one")).toEqual(["k:kept"]);
      expect(store.bulkLoad("l", [])).toBe(0);
      store.add("l", [{ id: "after", names: ["after"] }], { commit: true });
      store.close();
      // The aborted loads' segment numbers are gaps; none of their files is left.
      expect(readdirSync(join(dir, "segments", "l")).sort()).toEqual([
        "1.ent",
        "1.lower.fst",
        "5.ent",
        "5.lower.fst",
      ]);
    });

    it("stages and commits at the end when the lexicon has staged entries (the order of add)", () => {
      const store = LexiconStore.open(tmp());
      store.add("l", [
        { id: "s", names: ["staged before"] },
        { id: "t", names: ["staged only"] },
      ]);
      expect(store.bulkLoad("l", [{ id: "s", names: ["bulk after"] }])).toBe(2);
      expect(tag(store, "l", "staged before, staged only, bulk after")).toEqual([
        "t:staged only",
        "s:bulk after",
      ]);
      store.close();
    });

    it("survives kill -9 at any moment: every acknowledged load is served whole, no other is seen", async () => {
      for (const delay of [150, 400, 900]) {
        const dir = tmp();
        const child = spawn(
          process.execPath,
          [new URL("./crash-bulk-loader.mjs", import.meta.url).pathname, dir, "200"],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        await new Promise((r) => setTimeout(r, delay));
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        const acked = out.split("\n").filter((l) => l.startsWith("ack ")).length;
        const store = LexiconStore.open(dir);
        const counts = store.list().filter((l) => l.count > 0);
        // Every acknowledged load is whole; the one killed midway is whole (killed after its commit)
        // or absent; nothing is staged.
        expect(counts.length === acked || counts.length === acked + 1).toBe(true);
        for (const l of store.list()) expect([0, 2000]).toContain(l.count);
        for (const l of store.list()) expect(l.staged).toBe(0);
        for (const l of store.names()) {
          const files = readdirSync(join(dir, "segments", l));
          expect(files.every((f) => f.endsWith(".ent") && !f.includes("tmp"))).toBe(true);
          expect(files.length).toBe(store.segmentsOf(l).length);
        }
        for (let b = 0; b < acked; b++)
          expect(tag(store, `b${b}`, `bulk ${b} name 1999`)).toEqual([`e1999:bulk ${b} name 1999`]);
        store.close();
      }
    });
  });
});
