import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type InputItem, readJsonl, readJsonlBatches } from "../../../clients/batch/documents.js";

/** A stream of the given chunks, as Buffers (so that a character may be split between two). */
const chunks = (parts: (string | Buffer)[]) =>
  Readable.from(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));

async function all(stream: Readable): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const batch of readJsonlBatches(stream, "in.jsonl")) out.push(...batch);
  return out;
}

describe("readJsonlBatches", () => {
  const docs = [
    { id: "a", text: "Crohn disease in France" },
    { id: 7, text: 'Côte d\'Ivoire — "quoted"\ttab' },
    { id: "c", text: "" },
  ];
  const text = docs.map((d) => `${JSON.stringify(d)}\n`).join("");

  it("reads lines split anywhere between chunks, a multi-byte character included", async () => {
    const bytes = Buffer.from(text);
    const expected = docs.map((d) => ({ id: d.id, text: d.text }));
    for (let cut = 1; cut < bytes.length; cut += 3)
      expect(await all(chunks([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(expected);
    // One byte at a time: a line over many chunks.
    expect(await all(chunks([...bytes].map((b) => Buffer.from([b]))))).toEqual(expected);
  });

  it("skips blank lines, reads CRLF and a last line without a newline", async () => {
    const input = `\n  \r\n${JSON.stringify(docs[0])}\r\n\n${JSON.stringify(docs[2])}`;
    expect(await all(chunks([input]))).toEqual([
      { id: "a", text: "Crohn disease in France" },
      { id: "c", text: "" },
    ]);
    expect(await all(chunks([]))).toEqual([]);
  });

  it("gives an error item naming file and line for a bad line, and goes on", async () => {
    const items = await all(
      chunks([`${JSON.stringify(docs[0])}\n{nope\n{"id":"x"}\n`, JSON.stringify(docs[2])]),
    );
    expect(items).toHaveLength(4);
    expect(items[0]).toEqual({ id: "a", text: "Crohn disease in France" });
    expect("error" in items[1] && items[1].error.message).toMatch(/^in\.jsonl:2: not JSON/);
    expect(items[2]).toMatchObject({ id: "x" });
    expect("error" in items[2] && items[2].error.message).toMatch(/^in\.jsonl:3: .*string "text"/);
    expect(items[3]).toEqual({ id: "c", text: "" });
  });

  it("gives readJsonl the same items one at a time", async () => {
    const items: InputItem[] = [];
    for await (const item of readJsonl(chunks([text.slice(0, 10), text.slice(10)]), "in.jsonl"))
      items.push(item);
    expect(items).toEqual(await all(chunks([text])));
  });
});
